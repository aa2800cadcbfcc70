import { Router } from 'express';
import { TimeEntryExportQuery, TimeSummaryQuery, TimesheetQuery } from '@atelier/contracts';
import { principalOf, sendCsv, validate, type Db } from '@atelier/platform';
import { EXPORT_HEADER, exportTimeEntries, summarize, timesheet } from './report-service.js';

/** Registered before the time entry routes: `/api/time-entries/summary` is no entry id. */
export function reportRoutes(db: Db): Router {
  const r = Router();

  r.get('/api/time-entries/summary', async (req, res) => {
    res.json(await summarize(db, principalOf(res), validate(TimeSummaryQuery, req.query, 'query')));
  });

  r.get('/api/timesheet', async (req, res) => {
    res.json(await timesheet(db, principalOf(res), validate(TimesheetQuery, req.query, 'query')));
  });

  r.get('/api/time-entries.csv', async (req, res) => {
    const who = principalOf(res);
    const q = validate(TimeEntryExportQuery, req.query, 'query');
    // The list's rules, before any byte goes out: a refused filter is a problem+json answer.
    await sendCsv(res, { fileName: 'time-entries.csv', bom: true, header: EXPORT_HEADER }, (sink) => exportTimeEntries(db, who, q, sink));
  });

  return r;
}
