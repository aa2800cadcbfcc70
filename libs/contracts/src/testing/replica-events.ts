import { clientDeletion, clientSnapshot, contactDeletion, contactSnapshot, crmEvent } from './client-events.js';
import type { EventEnvelope } from '../index.js';

interface SuiteSnapshot {
  id: string;
  version: number;
  marker: string;
}

/** Event builders for the shared replica suite (`@atelier/platform/testing/replica-suite`): crm clients, `marker` as the name. */
export const clientReplicaEvents = {
  live: (agencyId: string, s: SuiteSnapshot, kind: 'created' | 'updated'): EventEnvelope =>
    crmEvent(agencyId, { name: `crm.client.${kind}.v1`, payload: clientSnapshot(s.id, s.version, { name: s.marker }) }),
  deleted: (agencyId: string, s: SuiteSnapshot): EventEnvelope => crmEvent(agencyId, { name: 'crm.client.deleted.v1', payload: clientDeletion(s.id, s.version, s.marker) }),
  bulk: (agencyId: string, list: SuiteSnapshot[]): EventEnvelope =>
    crmEvent(agencyId, { name: 'crm.client.resync.v1', payload: { clients: list.map((s) => clientSnapshot(s.id, s.version, { name: s.marker })), deleted: [] } }),
  malformed: (agencyId: string, id: string): EventEnvelope => ({ ...crmEvent(agencyId, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1) }), payload: { client: { id }, version: 1 } }),
};

/** The same for crm contacts, `marker` as the first name; every contact belongs to `clientId`. */
export const contactReplicaEvents = (clientId: string) => ({
  live: (agencyId: string, s: SuiteSnapshot, kind: 'created' | 'updated'): EventEnvelope =>
    crmEvent(agencyId, { name: `crm.contact.${kind}.v1`, payload: contactSnapshot(s.id, clientId, s.version, { firstName: s.marker }) }),
  deleted: (agencyId: string, s: SuiteSnapshot): EventEnvelope =>
    crmEvent(agencyId, { name: 'crm.contact.deleted.v1', payload: contactDeletion(s.id, clientId, s.version, s.marker) }),
  bulk: (agencyId: string, list: SuiteSnapshot[]): EventEnvelope =>
    crmEvent(agencyId, {
      name: 'crm.contact.resync.v1',
      payload: { contacts: list.map((s) => ({ ...contactSnapshot(s.id, clientId, s.version, { firstName: s.marker }), version: s.version })), deleted: [] },
    }),
  malformed: (agencyId: string, id: string): EventEnvelope => ({
    ...crmEvent(agencyId, { name: 'crm.contact.created.v1', payload: contactSnapshot(id, clientId, 1) }),
    payload: { clientId, contact: { id }, version: 1 },
  }),
});
