import type { Client } from '../http/clients.js';
import {
  ClientDeletedPayload,
  ClientResyncPayload,
  ClientSnapshotPayload,
  ContactDeletedPayload,
  ContactPayload,
  ContactResyncPayload,
  ContactsImportedPayload,
  versionOf,
} from './crm.js';
import type { EntitySnapshot, SnapshotExtractors } from './snapshots.js';

type ClientSnapshot = EntitySnapshot<Client, ClientDeletedPayload>;
const liveClient = (p: ClientSnapshotPayload): ClientSnapshot => ({ id: p.client.id, version: p.version, deleted: false, data: p.client });
const goneClient = (p: ClientDeletedPayload): ClientSnapshot => ({ id: p.clientId, version: p.version, deleted: true, data: p });

/** The snapshots of crm's client events, for client replicas (projects, billing, payments). */
export const crmClientSnapshots: SnapshotExtractors<Client, ClientDeletedPayload> = {
  'crm.client.created.v1': (e) => [liveClient(ClientSnapshotPayload.parse(e.payload))],
  'crm.client.updated.v1': (e) => [liveClient(ClientSnapshotPayload.parse(e.payload))],
  'crm.client.deleted.v1': (e) => [goneClient(ClientDeletedPayload.parse(e.payload))],
  'crm.client.resync.v1': (e) => {
    const p = ClientResyncPayload.parse(e.payload);
    return [...p.clients.map(liveClient), ...p.deleted.map(goneClient)];
  },
};

type ContactSnapshot = EntitySnapshot<ContactPayload, ContactDeletedPayload>;
const liveContact = (p: ContactPayload): ContactSnapshot => ({ id: p.contact.id, version: versionOf(p), deleted: false, data: p });
const goneContact = (p: ContactDeletedPayload): ContactSnapshot => ({ id: p.contactId, version: versionOf(p), deleted: true, data: p });

/** The snapshots of crm's contact events, for contact replicas (billing: who receives invoices). */
export const crmContactSnapshots: SnapshotExtractors<ContactPayload, ContactDeletedPayload> = {
  'crm.contact.created.v1': (e) => [liveContact(ContactPayload.parse(e.payload))],
  'crm.contact.updated.v1': (e) => [liveContact(ContactPayload.parse(e.payload))],
  'crm.contact.deleted.v1': (e) => [goneContact(ContactDeletedPayload.parse(e.payload))],
  'crm.contact.resync.v1': (e) => {
    const p = ContactResyncPayload.parse(e.payload);
    return [...p.contacts.map(liveContact), ...p.deleted.map(goneContact)];
  },
  // Bulk work: a batch of a CSV import, every contact it wrote with its own version.
  'crm.contact.imported.v1': (e) => ContactsImportedPayload.parse(e.payload).contacts.map(liveContact),
};
