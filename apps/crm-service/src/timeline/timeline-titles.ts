import type { EventEnvelope } from '@atelier/contracts';

type Payload = Record<string, unknown>;

const clientName = (p: Payload): string => {
  const client = p.client as { name?: unknown } | undefined;
  const name = client?.name ?? p.name;
  return typeof name === 'string' ? name : 'Client';
};

const contactName = (p: Payload): string => {
  const contact = p.contact as { firstName?: unknown; lastName?: unknown } | undefined;
  if (contact) return [contact.firstName, contact.lastName].filter((v) => typeof v === 'string' && v).join(' ') || 'Contact';
  return typeof p.name === 'string' && p.name ? p.name : 'Contact';
};

/** "Note pinned" when pinning was all that changed; events from before `changes` existed say "Note updated". */
const noteUpdateTitle = (p: Payload): string => {
  const changes = Array.isArray(p.changes) ? p.changes : [];
  const pinned = (p.note as { isPinned?: unknown } | undefined)?.isPinned === true;
  if (changes.includes('body')) return 'Note edited';
  if (changes.includes('isPinned')) return pinned ? 'Note pinned' : 'Note unpinned';
  return 'Note updated';
};

/** Known events get a sentence; any other event still gets an entry with a generic title. */
const titles: Record<string, (p: Payload) => string> = {
  'crm.client.created.v1': (p) => `Client ${clientName(p)} created`,
  'crm.client.updated.v1': (p) => `Client ${clientName(p)} updated`,
  'crm.client.deleted.v1': (p) => `Client ${clientName(p)} deleted`,
  'crm.contact.created.v1': (p) => `Contact ${contactName(p)} added`,
  'crm.contact.updated.v1': (p) => `Contact ${contactName(p)} updated`,
  'crm.contact.deleted.v1': (p) => `Contact ${contactName(p)} removed`,
  // The note's text stays out of the title: the timeline is a list of what happened, not a copy of the notes.
  'crm.note.created.v1': () => 'Note added',
  'crm.note.updated.v1': (p) => noteUpdateTitle(p),
  'crm.note.deleted.v1': () => 'Note deleted',
};

export function timelineTitle(event: EventEnvelope): string {
  const payload = (event.payload ?? {}) as Payload;
  const known = titles[event.name];
  if (known) return known(payload);
  const [service, entity, verb] = event.name.split('.');
  return `${service} ${(entity ?? '').replace(/_/g, ' ')} ${verb ?? ''}`.trim();
}

/** The client an event is about, and the entity it concerns; null when it concerns no client. */
export function timelineSubject(event: EventEnvelope): { clientId: string; kind: string; id: string } | null {
  const p = (event.payload ?? {}) as Payload;
  const client = p.client as { id?: unknown } | undefined;
  const clientId = typeof client?.id === 'string' ? client.id : typeof p.clientId === 'string' ? p.clientId : null;
  if (!clientId) return null;
  const kind = event.name.split('.')[1] ?? 'unknown';
  const own = p[kind] as { id?: unknown } | undefined;
  const ownId = typeof own?.id === 'string' ? own.id : typeof p[`${camel(kind)}Id`] === 'string' ? (p[`${camel(kind)}Id`] as string) : clientId;
  return { clientId, kind, id: ownId };
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
