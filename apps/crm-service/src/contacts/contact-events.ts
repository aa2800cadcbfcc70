import { writeEvent, type Principal, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { contactName, toContactDto, type ContactRow } from './contact-mapper.js';

type ChangeEvent = 'crm.contact.created.v1' | 'crm.contact.updated.v1';

/** Created/updated events carry the whole contact and name its client, so the timeline files them there. */
export const contactChanged = (tx: Tx, who: Principal, name: ChangeEvent, row: ContactRow) =>
  writeEvent(tx, outbox, { name, agencyId: who.agencyId, actorId: who.userId, payload: { clientId: row.clientId, contact: toContactDto(row) } });

export const contactDeleted = (tx: Tx, who: Principal, row: ContactRow) =>
  writeEvent(tx, outbox, {
    name: 'crm.contact.deleted.v1',
    agencyId: who.agencyId,
    actorId: who.userId,
    payload: { clientId: row.clientId, contactId: row.id, name: contactName(row) },
  });
