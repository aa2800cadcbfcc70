import { Router } from 'express';
import { CreateInvoiceBody, InvoiceListQuery, UpdateInvoiceBody } from '@atelier/contracts';
import { isUuid, jsonBodyOf, principalOf, uuidParam, validate, type Db } from '@atelier/platform';
import { createInvoice, deleteInvoice, getInvoice, invoiceHistory, listInvoices, updateInvoice, voidInvoice } from './invoice-service.js';

export function invoiceRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/invoices', async (req, res) => {
    res.json(await listInvoices(db, principalOf(res), validate(InvoiceListQuery, req.query, 'query')));
  });

  r.post('/api/invoices', async (req, res) => {
    const invoice = await createInvoice(db, principalOf(res), validate(CreateInvoiceBody, jsonBodyOf(req)));
    res.status(201).location(`/api/invoices/${invoice.id}`).json(invoice);
  });

  r.get('/api/invoices/:id', async (req, res, next) => {
    // Other routers' fixed paths (`/api/invoices/unbilled`) may be mounted after this one.
    if (!isUuid(req.params.id)) return next();
    res.json(await getInvoice(db, principalOf(res), uuidParam(req.params)));
  });

  r.patch('/api/invoices/:id', async (req, res) => {
    const who = principalOf(res);
    res.json(await updateInvoice(db, who, uuidParam(req.params), validate(UpdateInvoiceBody, jsonBodyOf(req))));
  });

  r.delete('/api/invoices/:id', async (req, res) => {
    await deleteInvoice(db, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  r.post('/api/invoices/:id/void', async (req, res) => {
    res.json(await voidInvoice(db, principalOf(res), uuidParam(req.params)));
  });

  r.get('/api/invoices/:id/history', async (req, res) => {
    res.json(await invoiceHistory(db, principalOf(res), uuidParam(req.params)));
  });

  return r;
}
