import { writeEvents, type EventToWrite, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { toTimeEntrySnapshot } from './time-entry-mapper.js';
import type { TimeEntryRow } from './time-entry-repository.js';

type EntryEventName = 'projects.time_entry.logged.v1' | 'projects.time_entry.updated.v1';

/** `clientId` names the project's client (billing's view files by it; the crm timeline skips routine time events). */
export const entryEvent = (name: EntryEventName, agencyId: string, actorId: string | null, row: TimeEntryRow, clientId: string): EventToWrite<EntryEventName> => ({
  name,
  agencyId,
  actorId,
  payload: { clientId, projectId: row.projectId, entry: toTimeEntrySnapshot(row), version: row.version },
});

export async function writeEntryEvents(tx: Tx, events: (EventToWrite<EntryEventName> | EventToWrite<'projects.time_entry.deleted.v1'>)[]): Promise<void> {
  await writeEvents(tx, outbox, events);
}
