import { Router } from 'express';
import { UpdateInvoicingSettingsBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, validate, type Db } from '@atelier/platform';
import { getInvoicingSettings, updateInvoicingSettings } from './invoicing-settings-service.js';

export function invoicingSettingsRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/settings/invoicing', async (_req, res) => {
    res.json(await getInvoicingSettings(db, principalOf(res)));
  });
  r.patch('/api/settings/invoicing', async (req, res) => {
    res.json(await updateInvoicingSettings(db, principalOf(res), validate(UpdateInvoicingSettingsBody, jsonBodyOf(req))));
  });
  return r;
}
