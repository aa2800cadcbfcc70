import type { TimelineEntry } from '@atelier/contracts';
import type { TimelineRow } from './timeline-repository.js';
import { composeTitle } from './timeline-titles.js';

export const toTimelineDto = (r: TimelineRow): TimelineEntry => ({
  id: r.id,
  clientId: r.clientId,
  type: r.type,
  title: composeTitle(r.title, r.actorName, r.quote),
  occurredAt: r.occurredAt.toISOString(),
  actorId: r.actorId,
  entity: { kind: r.entityKind, id: r.entityId },
  actorName: r.actorName,
  clientName: r.clientName,
  // A client crm has no row for is gone as far as the page is concerned.
  clientDeleted: r.clientName === null || r.clientDeletedAt !== null,
});
