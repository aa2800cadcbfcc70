import { Router } from 'express';
import { ExportQuery, fieldLabels } from '@atelier/contracts';
import { EDITORS, requireRole, validate, type Db } from '@atelier/platform';
import { sendCsv } from './csv-stream.js';
import { exportEntity, exportFields } from './export-service.js';

/** GET /api/exports/clients.csv and /api/exports/contacts.csv: streamed CSV with field selection and the list filters. */
export function exportRoutes(db: Db): Router {
  const r = Router();
  for (const entity of ['clients', 'contacts'] as const) {
    r.get(`/api/exports/${entity}.csv`, async (req, res) => {
      const who = requireRole(res, EDITORS);
      const q = validate(ExportQuery, req.query, 'query');
      const fields = exportFields(entity, q.fields);
      const day = new Date().toISOString().slice(0, 10);
      // Headed by what people call the fields ("Postal code"), which the importer reads back; a BOM so Excel reads UTF-8.
      const labels: Record<string, string> = fieldLabels[entity];
      const header = q.header === 'fields' ? fields : fields.map((f) => labels[f] ?? f);
      await sendCsv(res, { fileName: `${entity}-${day}.csv`, bom: q.bom !== 'false', header }, (sink) => exportEntity(db, who, entity, fields, q, sink));
    });
  }
  return r;
}
