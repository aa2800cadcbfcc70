import { crmContactSnapshots } from '@atelier/contracts';
import { replicaConsumer } from '@atelier/platform';
import { contacts } from '../db/schema.js';

/** Keeps `billing.contacts` at the newest CRM version of each contact: invoices go to the primary one. */
export const contactReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.contact-replica',
    bindings: ['crm.contact.*.*'],
    table: contacts,
    events: crmContactSnapshots,
    live: ({ clientId, contact }) => ({
      clientId,
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      phone: contact.phone,
      title: contact.title,
      isPrimary: contact.isPrimary,
      deletedAt: null,
      updatedAt: new Date(contact.updatedAt),
    }),
    tombstone: ({ clientId, name, deletedAt }) => {
      const at = deletedAt ? new Date(deletedAt) : new Date();
      return { set: { deletedAt: at, updatedAt: at }, firstSeen: { clientId, firstName: name, isPrimary: false } };
    },
  });
