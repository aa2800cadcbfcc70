import { randomUUID } from 'node:crypto';
import type { Client, ClientDeletedPayload, ClientSnapshotPayload, EventEnvelope } from '../index.js';

type ClientFields = Partial<Omit<Client, 'id' | 'address'>> & { address?: Partial<Client['address']> };

export function clientSnapshot(id: string, version: number, fields: ClientFields = {}): ClientSnapshotPayload {
  const now = new Date().toISOString();
  const { address, ...rest } = fields;
  return {
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

type CrmClientEvent =
  | { name: 'crm.client.created.v1' | 'crm.client.updated.v1'; payload: ClientSnapshotPayload }
  | { name: 'crm.client.deleted.v1'; payload: ClientDeletedPayload };

/** An envelope as CRM's outbox writes it. */
export const crmEvent = (agencyId: string, { name, payload }: CrmClientEvent): EventEnvelope =>
  ({ id: randomUUID(), name, occurredAt: new Date().toISOString(), agencyId, actorId: randomUUID(), payload, trace: {} });

