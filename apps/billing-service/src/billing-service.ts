import type { Logger } from 'pino';
import { createMailer, createService, mailJob, type JobRunnerOptions } from '@atelier/platform';
import { clientReplicaConsumer } from './client-replica/client-replica-consumer.js';
import { contactReplicaConsumer } from './contact-replica/contact-replica-consumer.js';
import { publicOriginOf, type BillingConfig } from './config.js';
import { invoiceSummaryRoutes } from './invoice-summary/invoice-summary-routes.js';
import { useInvoiceLinks } from './invoices/invoice-links.js';
import { invoiceRoutes } from './invoices/invoice-routes.js';
import { invoicingSettingsRoutes } from './invoicing-settings/invoicing-settings-routes.js';
import { invoicePdfRoutes } from './invoice-pdf/invoice-pdf-routes.js';
import { BILLING_MAIL_JOB, invoiceDeliveryJob } from './invoice-send/invoice-send-service.js';
import { invoiceSendRoutes } from './invoice-send/invoice-send-routes.js';
import { publicInvoiceRoutes } from './public-invoices/public-invoice-routes.js';
import { reminderJob, reminderSchedule } from './reminders/reminder-service.js';
import { overdueSchedule } from './overdue/overdue-schedule.js';
import { paymentsLedgerConsumer } from './payments-ledger/payments-ledger-consumer.js';
import { pdfRendererConfig } from './pdf/pdf-config.js';
import { createPdfRenderer, type PdfRenderer } from './pdf/pdf-renderer.js';
import { agencyReplicaConsumer, memberReplicaConsumer } from './replicas/identity-replica-consumers.js';
import { projectReplicaConsumer, taskReplicaConsumer } from './replicas/project-replica-consumers.js';
import { timeEntryReplicaConsumer } from './replicas/time-entry-replica-consumer.js';
import { unbilledRoutes } from './unbilled/unbilled-routes.js';

/** The sent PDFs (kit blobs) stay alive while their invoice's document row names them. */
export const billingBlobReferences = { references: [{ table: 'billing.invoice_documents', column: 'blob_id' }] };

export const buildBillingService = (config: BillingConfig, options: { logger?: Logger; jobRunner?: Partial<JobRunnerOptions>; blobs?: { graceMs?: number } } = {}) => {
  let pdf: PdfRenderer | null = null;
  const service = createService(
    'billing',
    config,
    (ctx) => {
      useInvoiceLinks({ origin: publicOriginOf(config), secret: config.INVOICE_TOKEN_SECRET });
      // One browser per process, started at the first PDF (or at start with PDF_WARM_START) and
      // closed with the service: a kit worker.
      const renderer = createPdfRenderer(pdfRendererConfig(config), ctx.logger);
      pdf = renderer;
      const db = ctx.database.db;
      // Invoices and reminders go out through the kit's mail job, the stored PDF read from the blob store when it is sent.
      const mailer = createMailer(config, ctx.logger);
      const send = { db, pdf: renderer, blobs: ctx.blobs, jobs: ctx.jobs };
      return {
        publishes: true,
        routes: (app) => {
          app.use(invoiceSummaryRoutes(db));
          app.use(unbilledRoutes(db));
          app.use(invoicePdfRoutes(send));
          app.use(invoiceSendRoutes(send));
          app.use(invoiceRoutes(db));
          app.use(invoicingSettingsRoutes(db));
        },
        publicRoutes: publicInvoiceRoutes(send),
        consumers: [
          clientReplicaConsumer(),
          contactReplicaConsumer(),
          agencyReplicaConsumer(),
          memberReplicaConsumer(),
          projectReplicaConsumer(),
          taskReplicaConsumer(),
          timeEntryReplicaConsumer(),
          paymentsLedgerConsumer(),
        ],
        jobs: [mailJob(mailer, BILLING_MAIL_JOB, { blobs: ctx.blobs }), invoiceDeliveryJob(send), reminderJob(send, ctx.logger)],
        schedules: [overdueSchedule(db), reminderSchedule(send, { everyMinutes: config.REMINDER_SWEEP_MINUTES, at: config.REMINDER_AT })],
        workers: [renderer, { start: () => {}, stop: () => mailer.close() }],
        blobs: { ...billingBlobReferences, ...options.blobs },
        jobRunner: options.jobRunner,
      };
    },
    options.logger,
  );
  return Object.assign(service, { pdf: pdf! as PdfRenderer });
};
