import { Router } from 'express';
import { CreateTimeEntryBody, TimeEntryListQuery, UpdateTimeEntryBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate } from '@atelier/platform';
import { toTimeEntryDto } from './time-entry-mapper.js';
import { createTimeEntry, deleteTimeEntry, getTimeEntry, listTimeEntries, updateTimeEntry, type TimeDeps } from './time-entry-service.js';

export function timeEntryRoutes(deps: TimeDeps): Router {
  const r = Router();

  r.get('/api/time-entries', async (req, res) => {
    const page = await listTimeEntries(deps.db, principalOf(res), validate(TimeEntryListQuery, req.query, 'query'));
    res.json({ data: page.rows.map(toTimeEntryDto), nextCursor: page.nextCursor, total: page.total });
  });

  r.post('/api/time-entries', async (req, res) => {
    const row = await createTimeEntry(deps, principalOf(res), validate(CreateTimeEntryBody, jsonBodyOf(req)));
    res.status(201).location(`/api/time-entries/${row.id}`).json(toTimeEntryDto(row));
  });

  r.get('/api/time-entries/:id', async (req, res) => {
    res.json(toTimeEntryDto(await getTimeEntry(deps.db, principalOf(res), uuidParam(req.params))));
  });

  r.patch('/api/time-entries/:id', async (req, res) => {
    const who = principalOf(res);
    const id = uuidParam(req.params);
    res.json(toTimeEntryDto(await updateTimeEntry(deps, who, id, validate(UpdateTimeEntryBody, jsonBodyOf(req)))));
  });

  r.delete('/api/time-entries/:id', async (req, res) => {
    await deleteTimeEntry(deps, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
