import type { EventName } from '@atelier/contracts';

/** A label for people for every event of the contract: a new event without one fails the type check. */
const eventLabels: Record<EventName, string> = {
  'crm.client.created.v1': 'Client created',
  'crm.client.updated.v1': 'Client updated',
  'crm.client.deleted.v1': 'Client deleted',
  // Resyncs republish state for replicas; they name no client and never become timeline entries.
  'crm.client.resync.v1': 'Clients resynced',
  'crm.contact.created.v1': 'Contact added',
  'crm.contact.updated.v1': 'Contact updated',
  'crm.contact.deleted.v1': 'Contact removed',
  'crm.contact.resync.v1': 'Contacts resynced',
  'crm.contact.imported.v1': 'Contacts imported',
  'crm.note.created.v1': 'Note added',
  'crm.note.updated.v1': 'Note updated',
  'crm.note.deleted.v1': 'Note deleted',
  'crm.attachment.added.v1': 'File attached',
  'crm.attachment.removed.v1': 'File removed',
  'projects.attachment.added.v1': 'File attached to a project or task',
  'projects.attachment.removed.v1': 'File removed from a project or task',
  // Usage snapshots keep the agency's one attachment quota across services; they name no client.
  'crm.attachment.usage.v1': 'Client files storage used',
  'projects.attachment.usage.v1': 'Project files storage used',
  'identity.agency.updated.v1': 'Agency details changed',
  'identity.member.joined.v1': 'Member joined',
  'identity.member.updated.v1': 'Member changed',
  'identity.member.removed.v1': 'Member removed',
  'projects.project.created.v1': 'Project created',
  'projects.project.updated.v1': 'Project updated',
  'projects.project.deleted.v1': 'Project deleted',
  'projects.project.resync.v1': 'Projects resynced',
  'projects.task.created.v1': 'Task added',
  'projects.task.updated.v1': 'Task updated',
  'projects.task.deleted.v1': 'Task deleted',
  'projects.task.resync.v1': 'Tasks resynced',
  'projects.time_entry.logged.v1': 'Time logged',
  'projects.time_entry.updated.v1': 'Time entry changed',
  'projects.time_entry.deleted.v1': 'Time entry deleted',
  'projects.time_entry.billing_changed.v1': 'Time billing changed',
  'projects.time_entry.resync.v1': 'Time entries resynced',
  'projects.budget.threshold_crossed.v1': 'Budget threshold reached',
  'billing.invoice.drafted.v1': 'Invoice drafted',
  'billing.invoice.updated.v1': 'Invoice updated',
  'billing.invoice.deleted.v1': 'Invoice deleted',
  'billing.invoice.issued.v1': 'Invoice issued',
  'billing.invoice.voided.v1': 'Invoice voided',
  'billing.invoice.sent.v1': 'Invoice sent',
  'billing.invoice.viewed.v1': 'Invoice viewed',
  'billing.invoice.overdue.v1': 'Invoice overdue',
  'billing.invoice.reminder_sent.v1': 'Reminder sent',
  'billing.invoice.partially_paid.v1': 'Invoice partially paid',
  'billing.invoice.paid.v1': 'Invoice paid',
  'billing.invoice.refunded.v1': 'Invoice refunded',
  'payments.payment.succeeded.v1': 'Payment received',
  'payments.payment.failed.v1': 'Payment failed',
  'payments.payment.refunded.v1': 'Payment refunded',
};

/** Events that are plumbing between services, not something a person did: not offered in the filter. */
const internal = new Set<string>([
  'crm.client.resync.v1',
  'crm.contact.resync.v1',
  'projects.project.resync.v1',
  'projects.task.resync.v1',
  'projects.time_entry.resync.v1',
  'crm.attachment.usage.v1',
  'projects.attachment.usage.v1',
]);

const group = (label: string, prefix: string) => ({
  label,
  types: (Object.keys(eventLabels) as EventName[])
    .filter((t) => t.startsWith(prefix) && !internal.has(t))
    .map((type) => ({ type, label: eventLabels[type] })),
});

/** The timeline's type filter, grouped. */
export const timelineTypeGroups: { label: string; types: { type: EventName; label: string }[] }[] = [
  group('Clients', 'crm.client.'),
  group('Contacts', 'crm.contact.'),
  group('Notes', 'crm.note.'),
  group('Files', 'crm.attachment.'),
];

const known = new Map<string, string>(Object.entries(eventLabels));

/** "crm.client.created.v1" → "Client created"; unknown names are turned into words ("Invoice paid"). */
export function describeTimelineType(type: string): string {
  const label = known.get(type);
  if (label) return label;
  const parts = type.split('.');
  const words = parts.length >= 3 ? parts.slice(1).filter((p) => !/^v\d+$/.test(p)) : [type];
  const text = words.join(' ').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const isKnownTimelineType = (type: string): boolean => known.has(type);
