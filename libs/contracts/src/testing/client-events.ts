import { randomUUID } from 'node:crypto';
import type { Client, ClientDeletedPayload, ClientSnapshotPayload, Contact, ContactDeletedPayload, ContactPayload, EventEnvelope, EventName, EventPayload } from '../index.js';

type ClientFields = Partial<Omit<Client, 'id' | 'address'>> & { address?: Partial<Client['address']> };

export function clientSnapshot(id: string, version: number, fields: ClientFields = {}): ClientSnapshotPayload {
  const now = new Date().toISOString();
  const { address, ...rest } = fields;
  return {
    clientId: id,
    client: {
      id,
      name: `Client v${version}`,
      email: null,
      phone: null,
      website: null,
      currency: 'USD',
      taxId: null,
      isActive: true,
      createdAt: now,
      updatedAt: now,
      ...rest,
      address: { line1: null, line2: null, city: null, region: null, postalCode: null, country: null, ...address },
    },
    version,
  };
}

export const clientDeletion = (clientId: string, version: number, name = `Client v${version}`): ClientDeletedPayload => ({
  clientId,
  name,
  version,
  deletedAt: new Date().toISOString(),
});

type CrmEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

/** An envelope as CRM's outbox writes it. */
export const crmEvent = (agencyId: string, { name, payload }: CrmEvent): EventEnvelope =>
  ({ id: randomUUID(), name, occurredAt: new Date().toISOString(), agencyId, actorId: randomUUID(), payload, trace: {} });

type ContactFields = Partial<Omit<Contact, 'id' | 'clientId'>>;

/** A contact event's payload as crm writes it: the whole contact, its client and its version. */
export function contactSnapshot(id: string, clientId: string, version: number, fields: ContactFields = {}): ContactPayload {
  const now = new Date().toISOString();
  return {
    clientId,
    contact: { id, clientId, firstName: `Contact v${version}`, lastName: null, email: null, phone: null, phoneE164: null, title: null, isPrimary: false, createdAt: now, updatedAt: now, ...fields },
    version,
  };
}

export const contactDeletion = (contactId: string, clientId: string, version: number, name = `Contact v${version}`): ContactDeletedPayload => ({
  clientId,
  contactId,
  name,
  version,
  deletedAt: new Date().toISOString(),
});

