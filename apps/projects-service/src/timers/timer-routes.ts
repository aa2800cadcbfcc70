import { Router } from 'express';
import { StartTimerBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, validate } from '@atelier/platform';
import { toTimeEntryDto } from '../time-entries/time-entry-mapper.js';
import type { TimeDeps } from '../time-entries/time-entry-service.js';
import { toTimerDto } from './timer-mapper.js';
import { currentTimer, startTimer, stopTimer } from './timer-service.js';

export function timerRoutes(deps: TimeDeps): Router {
  const r = Router();

  r.post('/api/timers/start', async (req, res) => {
    const started = await startTimer(deps, principalOf(res), validate(StartTimerBody, jsonBodyOf(req)));
    res.status(201).json({ timer: toTimerDto(started.timer, started.now), stopped: started.stopped ? toTimeEntryDto(started.stopped) : null });
  });

  r.post('/api/timers/stop', async (_req, res) => {
    res.json(toTimeEntryDto(await stopTimer(deps, principalOf(res))));
  });

  r.get('/api/timers/current', async (_req, res) => {
    const { timer, now } = await currentTimer(deps.db, principalOf(res));
    res.json({ timer: timer ? toTimerDto(timer, now) : null });
  });

  return r;
}
