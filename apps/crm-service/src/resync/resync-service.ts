import type { ClientResyncPayload, ContactResyncPayload } from '@atelier/contracts';
import { republishPages, writeEvents, type ResyncSource } from '@atelier/platform';
import { crmAttachmentUsage } from '../attachments/attachment-service.js';
import { toClientDto } from '../clients/client-mapper.js';
import { contactName, toContactDto } from '../contacts/contact-mapper.js';
import { outbox } from '../db/schema.js';
import { selectClientsPage, selectContactsPage } from './resync-repository.js';

/** crm's snapshots for a resync (events.md › Resync): every client and contact of the agency, tombstones included, and its attachment usage. */
export const crmResyncSources: ResyncSource[] = [
  {
    entity: 'clients',
    republish: (tx, agencyId) =>
      republishPages(tx, selectClientsPage, (rows) => {
        const payload: ClientResyncPayload = {
          clients: rows.filter((r) => !r.deletedAt).map((r) => ({ clientId: r.id, client: toClientDto(r), version: r.version })),
          deleted: rows.flatMap((r) => (r.deletedAt ? [{ clientId: r.id, name: r.name, version: r.version, deletedAt: r.deletedAt.toISOString() }] : [])),
        };
        return writeEvents(tx, outbox, [{ name: 'crm.client.resync.v1', agencyId, actorId: null, payload }]);
      }),
  },
  {
    entity: 'contacts',
    republish: (tx, agencyId) =>
      republishPages(tx, selectContactsPage, (rows) => {
        const payload: ContactResyncPayload = {
          contacts: rows.filter((r) => !r.deletedAt).map((r) => ({ clientId: r.clientId, contact: toContactDto(r), version: r.version })),
          deleted: rows.flatMap((r) =>
            r.deletedAt ? [{ clientId: r.clientId, contactId: r.id, name: contactName(r), version: r.version, deletedAt: r.deletedAt.toISOString() }] : [],
          ),
        };
        return writeEvents(tx, outbox, [{ name: 'crm.contact.resync.v1', agencyId, actorId: null, payload }]);
      }),
  },
  crmAttachmentUsage.resyncSource(),
];
