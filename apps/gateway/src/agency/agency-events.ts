import { writeEvent, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { toAgencyDto } from './agency-mapper.js';
import type { AgencyRow } from './agency-repository.js';

/** `identity.agency.updated.v1`: the whole agency (logo included) and its version, for the agency replicas. */
export const agencyUpdated = (tx: Tx, actorId: string | null, row: AgencyRow) =>
  writeEvent(tx, outbox, { name: 'identity.agency.updated.v1', agencyId: row.id, actorId, payload: { agency: toAgencyDto(row), version: row.version } });
