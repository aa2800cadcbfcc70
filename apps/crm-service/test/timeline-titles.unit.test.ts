import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@atelier/contracts';
import { importedContactsTitle, timelineSubject, timelineTitle } from '../src/timeline/timeline-titles.js';

const event = (name: string, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  name,
  occurredAt: new Date().toISOString(),
  agencyId: randomUUID(),
  actorId: null,
  payload,
  trace: {},
});

describe('timeline titles', () => {
  it('says what happened to which client, contact or note, and who did it', () => {
    expect(timelineTitle(event('crm.client.created.v1', { client: { name: 'ACME' } }))).toBe('Client ACME created');
    expect(timelineTitle(event('crm.client.created.v1', { client: { name: 'ACME' } }), { actor: 'Marta' })).toBe('Client ACME created by Marta');
    expect(timelineTitle(event('crm.client.deleted.v1', { name: 'ACME' }))).toBe('Client ACME deleted');
    expect(timelineTitle(event('crm.contact.created.v1', { contact: { firstName: 'Ada', lastName: 'Lovelace' } }), { client: 'ACME' })).toBe('Contact Ada Lovelace added to ACME');
    expect(timelineTitle(event('crm.contact.updated.v1', { contact: { firstName: 'Ada', lastName: null } }), { client: 'ACME' })).toBe('Contact Ada of ACME updated');
    expect(timelineTitle(event('crm.contact.deleted.v1', { name: 'Ada Lovelace' }), { client: 'ACME' })).toBe('Contact Ada Lovelace removed from ACME');
    expect(timelineTitle(event('crm.contact.created.v1', { contact: { firstName: 'Ada' } }))).toBe('Contact Ada added');
    expect(timelineTitle(event('crm.note.created.v1', { note: { body: 'Call back Monday about the\nrenewal of the retainer, and ask for the new brief' } }), { client: 'ACME Corp', actor: 'Marta' })).toBe(
      "Note added to ACME Corp by Marta: 'Call back Monday about the renewal of the retainer, and ask…'",
    );
    expect(timelineTitle(event('crm.note.deleted.v1', {}), { client: 'ACME' })).toBe('Note deleted from ACME');
  });

  it('names the file and what it was attached to: "Mock-ups.pdf added to ACME by Marta"', () => {
    const parent = (kind: string, name: string) => ({ kind, id: randomUUID(), name });
    const attachment = { id: randomUUID(), fileName: 'Mock-ups.pdf' };
    expect(timelineTitle(event('crm.attachment.added.v1', { clientId: randomUUID(), attachment, parent: parent('client', 'ACME') }), { client: 'ACME', actor: 'Marta' })).toBe('Mock-ups.pdf added to ACME by Marta');
    expect(timelineTitle(event('projects.attachment.added.v1', { clientId: randomUUID(), attachment, parent: parent('project', 'Website Redesign') }), { client: 'ACME', actor: 'Marta' })).toBe(
      'Mock-ups.pdf added to Website Redesign by Marta',
    );
    expect(timelineTitle(event('crm.attachment.removed.v1', { clientId: randomUUID(), attachmentId: attachment.id, fileName: 'Mock-ups.pdf', parent: parent('client', 'ACME') }))).toBe('Mock-ups.pdf removed from ACME');
    const subject = timelineSubject(event('crm.attachment.removed.v1', { clientId: attachment.id, attachmentId: attachment.id, fileName: 'x', parent: parent('client', 'ACME') }));
    expect(subject).toEqual({ clientId: attachment.id, kind: 'attachment', id: attachment.id });
    // Usage snapshots keep the agency's quota; they are no client's business and no timeline entry.
    for (const name of ['crm.attachment.usage.v1', 'projects.attachment.usage.v1']) expect(timelineSubject(event(name, { owner: 'crm', bytes: 10, version: 2 }))).toBeNull();
  });

  it('says a client was deactivated or activated when that is what the update did', () => {
    const client = (isActive: boolean) => ({ name: 'ACME', isActive });
    expect(timelineTitle(event('crm.client.updated.v1', { client: client(false), changes: ['isActive', 'taxId'] }))).toBe('Client ACME deactivated');
    expect(timelineTitle(event('crm.client.updated.v1', { client: client(true), changes: ['isActive'] }))).toBe('Client ACME activated');
    expect(timelineTitle(event('crm.client.updated.v1', { client: client(true), changes: ['email'] }))).toBe('Client ACME updated');
    expect(timelineTitle(event('crm.client.updated.v1', { client: client(true) }))).toBe('Client ACME updated');
  });

  it('counts an import per client', () => {
    expect(importedContactsTitle(12, 'contacts.csv')).toBe('12 contacts imported from contacts.csv');
    expect(importedContactsTitle(1, 'contacts.csv')).toBe('1 contact imported from contacts.csv');
    expect(importedContactsTitle(3, null)).toBe('3 contacts imported from a CSV file');
  });

  it('tells a pin from an edit', () => {
    expect(timelineTitle(event('crm.note.updated.v1', { note: { isPinned: true }, changes: ['isPinned'] }))).toBe('Note pinned');
    expect(timelineTitle(event('crm.note.updated.v1', { note: { isPinned: false }, changes: ['isPinned'] }))).toBe('Note unpinned');
    expect(timelineTitle(event('crm.note.updated.v1', { note: { isPinned: true, body: 'New text' }, changes: ['body', 'isPinned'] }), { client: 'ACME' })).toBe("Note on ACME edited: 'New text'");
    expect(timelineTitle(event('crm.note.updated.v1', { note: {} }))).toBe('Note updated');
  });

  it("says what happened to a project, a task and a project's budget", () => {
    const project = (status: string) => ({ project: { name: 'Website Redesign', status } });
    expect(timelineTitle(event('projects.project.created.v1', project('active')), { actor: 'Marta' })).toBe('Project Website Redesign created by Marta');
    expect(timelineTitle(event('projects.project.updated.v1', { ...project('completed'), changes: ['status'] }))).toBe('Project Website Redesign completed');
    expect(timelineTitle(event('projects.project.updated.v1', { ...project('on_hold'), changes: ['status', 'name'] }))).toBe('Project Website Redesign put on hold');
    expect(timelineTitle(event('projects.project.updated.v1', { ...project('active'), changes: ['budgetHours'] }))).toBe('Project Website Redesign updated');
    expect(timelineTitle(event('projects.project.deleted.v1', { name: 'Website Redesign' }))).toBe('Project Website Redesign deleted');
    expect(timelineTitle(event('projects.task.created.v1', { projectName: 'Website Redesign', task: { title: 'Wireframes' } }))).toBe('Task Wireframes created');
    expect(timelineTitle(event('projects.task.updated.v1', { task: { title: 'Wireframes', status: 'done' }, changes: ['status'] }))).toBe('Task Wireframes done');
    expect(timelineTitle(event('projects.budget.threshold_crossed.v1', { projectName: 'Website Redesign', kind: 'money', threshold: 80 }))).toBe('Budget of Website Redesign 80 % used');
    expect(timelineTitle(event('projects.budget.threshold_crossed.v1', { projectName: 'Website Redesign', kind: 'hours', threshold: 100 }))).toBe('Hours budget of Website Redesign 100 % used');
  });

  it('falls back to words for events it has no sentence for', () => {
    expect(timelineTitle(event('billing.credit_note.issued.v1', {}))).toBe('billing credit note issued');
    expect(timelineTitle(event('projects.time_entry.logged.v1', {}))).toBe('projects time entry logged');
  });
});

describe('timeline subject', () => {
  const clientId = randomUUID();
  const contactId = randomUUID();

  it('files an event under the client its payload names at the top', () => {
    expect(timelineSubject(event('crm.client.created.v1', { clientId, client: { id: clientId, name: 'ACME' }, version: 1 }))).toEqual({ clientId, kind: 'client', id: clientId });
    expect(timelineSubject(event('crm.contact.updated.v1', { clientId, contact: { id: contactId }, version: 2 }))).toEqual({ clientId, kind: 'contact', id: contactId });
    expect(timelineSubject(event('crm.contact.deleted.v1', { clientId, contactId, name: 'Ada' }))).toEqual({ clientId, kind: 'contact', id: contactId });
    expect(timelineSubject(event('billing.time_entry.logged.v1', { clientId, timeEntryId: contactId }))).toEqual({ clientId, kind: 'time_entry', id: contactId });
  });

  it('files project events under the project, and leaves routine project work off the timeline', () => {
    const projectId = randomUUID();
    const taskId = randomUUID();
    expect(timelineSubject(event('projects.project.created.v1', { clientId, project: { id: projectId }, version: 1 }))).toEqual({ clientId, kind: 'project', id: projectId });
    expect(timelineSubject(event('projects.budget.threshold_crossed.v1', { clientId, projectId, kind: 'money', threshold: 50 }))).toEqual({ clientId, kind: 'project', id: projectId });
    const task = (status: string, changes: string[]) => event('projects.task.updated.v1', { clientId, projectId, task: { id: taskId, status }, changes, version: 2 });
    expect(timelineSubject(event('projects.task.created.v1', { clientId, projectId, task: { id: taskId }, version: 1 }))).toEqual({ clientId, kind: 'task', id: taskId });
    expect(timelineSubject(task('done', ['status']))).toEqual({ clientId, kind: 'task', id: taskId });
    expect(timelineSubject(task('in_progress', ['status']))).toBeNull();
    expect(timelineSubject(task('done', ['title']))).toBeNull();
    expect(timelineSubject(event('projects.task.deleted.v1', { clientId, projectId, taskId, version: 3 }))).toBeNull();
    expect(timelineSubject(event('projects.time_entry.logged.v1', { clientId, projectId, entry: { id: taskId }, version: 1 }))).toBeNull();
  });

  it('never guesses a client from deeper payload shapes', () => {
    expect(timelineSubject(event('crm.client.updated.v1', { client: { id: clientId }, version: 2 }))).toBeNull();
    expect(timelineSubject(event('crm.client.resync.v1', { clients: [{ clientId, client: { id: clientId } }], deleted: [] }))).toBeNull();
    expect(timelineSubject(event('billing.invoice.sent.v1', { invoice: { clientId } }))).toBeNull();
    expect(timelineSubject(event('crm.note.created.v1', { clientId: 'not-a-uuid' }))).toBeNull();
    expect(timelineSubject(event('identity.agency.updated.v1', null))).toBeNull();
  });

  it('says what happened to which invoice and payment, with the amount in its currency', () => {
    const clientId = randomUUID();
    const invoiceId = randomUUID();
    const state = { clientId, invoiceId, number: 'INV-2026-0007', currency: 'EUR', total: '1190.00', amountPaid: '0.00', amountDue: '1190.00', status: 'sent', dueDate: '2026-12-31', version: 3 };
    expect(timelineTitle(event('billing.invoice.sent.v1', { ...state, to: 'ada@acme.test', cc: [], sentAt: new Date().toISOString() }), { actor: 'Marta' })).toBe('Invoice INV-2026-0007 sent to ada@acme.test by Marta');
    expect(timelineTitle(event('billing.invoice.viewed.v1', { ...state, status: 'viewed' }))).toBe('Invoice INV-2026-0007 viewed by the client');
    expect(timelineTitle(event('billing.invoice.reminder_sent.v1', { ...state, to: 'ada@acme.test', cc: [], reminderDay: 7 }))).toBe('Reminder for invoice INV-2026-0007 sent to ada@acme.test');
    expect(timelineTitle(event('billing.invoice.partially_paid.v1', { ...state, amountPaid: '1000.00', amountDue: '190.00' }))).toBe('Invoice INV-2026-0007 partially paid, €190.00 due');
    expect(timelineTitle(event('billing.invoice.paid.v1', state))).toBe('Invoice INV-2026-0007 paid');
    expect(timelineTitle(event('billing.invoice.voided.v1', { ...state, timeEntries: [] }))).toBe('Invoice INV-2026-0007 voided');
    expect(timelineTitle(event('billing.invoice.drafted.v1', { clientId, invoiceId, number: null, currency: 'EUR', version: 1, timeEntries: [] }))).toBe('Draft invoice created');
    const payment = { clientId, paymentId: randomUUID(), invoiceId, amount: '1190.00', amountRefunded: '0.00', currency: 'EUR', method: 'card', status: 'succeeded', paidOn: '2026-12-02', version: 1 };
    expect(timelineTitle(event('payments.payment.succeeded.v1', payment))).toBe('Payment of €1,190.00 received');
    expect(timelineTitle(event('payments.payment.succeeded.v1', { ...payment, currency: 'JPY', amount: '500', invoiceNumber: 'INV-2026-0008' }))).toBe('Payment of ¥500 received for INV-2026-0008');
    expect(timelineTitle(event('payments.payment.refunded.v1', { ...payment, refundAmount: '90.00', amountRefunded: '90.00' }))).toBe('Refund of €90.00 issued');
    expect(timelineSubject(event('billing.invoice.sent.v1', state))).toEqual({ clientId, kind: 'invoice', id: invoiceId });
    expect(timelineSubject(event('payments.payment.succeeded.v1', payment))).toEqual({ clientId, kind: 'payment', id: payment.paymentId });
    // Each save of a draft is no entry; the draft's creation is.
    expect(timelineSubject(event('billing.invoice.updated.v1', { clientId, invoiceId, number: null, currency: 'EUR', version: 2, timeEntries: [] }))).toBeNull();
  });
});
