/** Event names the timeline knows, with labels for people, grouped for the type filter. */
export const timelineTypeGroups: { label: string; types: { type: string; label: string }[] }[] = [
  {
    label: 'Clients',
    types: [
      { type: 'crm.client.created.v1', label: 'Client created' },
      { type: 'crm.client.updated.v1', label: 'Client updated' },
      { type: 'crm.client.deleted.v1', label: 'Client deleted' },
    ],
  },
  {
    label: 'Contacts',
    types: [
      { type: 'crm.contact.created.v1', label: 'Contact added' },
      { type: 'crm.contact.updated.v1', label: 'Contact updated' },
      { type: 'crm.contact.deleted.v1', label: 'Contact removed' },
    ],
  },
  {
    label: 'Notes',
    types: [
      { type: 'crm.note.created.v1', label: 'Note added' },
      { type: 'crm.note.updated.v1', label: 'Note updated' },
      { type: 'crm.note.deleted.v1', label: 'Note deleted' },
    ],
  },
];

const known = new Map(timelineTypeGroups.flatMap((g) => g.types.map((t) => [t.type, t.label] as const)));

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
