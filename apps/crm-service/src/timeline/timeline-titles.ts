import { namedClientId, type EventEnvelope } from '@atelier/contracts';
import { Money, formatMoney, isCurrencyCode } from '@atelier/money';

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

/** Who the title is about beyond the payload: the client's name, looked up when the entry is recorded. */
export interface TitleNames {
  /** The client's name (for contact and note events, which carry only its id); null when unknown. */
  client?: string | null;
}

const NOTE_EXCERPT = 60;

/** The start of a note, on one line and cut between words: "Call back Monday…". */
export const excerpt = (text: string, max = NOTE_EXCERPT): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut.slice(0, max - 1)).replace(/[\s,;:.]+$/, '')}…`;
};

const noteBody = (p: Payload): string => {
  const body = (p.note as { body?: unknown } | undefined)?.body;
  return typeof body === 'string' ? excerpt(body) : '';
};

/** "Note pinned" when pinning was all that changed; events from before `changes` existed say "Note updated". */
const noteUpdateVerb = (p: Payload): string => {
  const changes = Array.isArray(p.changes) ? p.changes : [];
  const pinned = (p.note as { isPinned?: unknown } | undefined)?.isPinned === true;
  if (changes.includes('body')) return 'edited';
  if (changes.includes('isPinned')) return pinned ? 'pinned' : 'unpinned';
  return 'updated';
};

/** "deactivated"/"activated" when that is what an update did; otherwise "updated". */
const clientUpdateVerb = (p: Payload): string => {
  const changes = Array.isArray(p.changes) ? (p.changes as unknown[]) : [];
  if (changes.includes('isActive')) return (p.client as { isActive?: unknown } | undefined)?.isActive === false ? 'deactivated' : 'activated';
  return 'updated';
};

/** An attachment event's file and what it hangs on: "Mock-ups.pdf", "Website Redesign". */
const attachmentFile = (p: Payload): string => {
  const name = (p.attachment as { fileName?: unknown } | undefined)?.fileName ?? p.fileName;
  return typeof name === 'string' && name ? name : 'A file';
};
const attachmentParent = (p: Payload, n: TitleNames): string | null => {
  const name = (p.parent as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : (n.client ?? null);
};

const projectName = (p: Payload): string => {
  const name = (p.project as { name?: unknown } | undefined)?.name ?? p.projectName ?? p.name;
  return typeof name === 'string' && name ? name : 'Project';
};
const taskTitle = (p: Payload): string => {
  const title = (p.task as { title?: unknown } | undefined)?.title ?? p.title;
  return typeof title === 'string' && title ? title : 'Task';
};

const projectStatusVerbs: Record<string, string> = { active: 'reactivated', on_hold: 'put on hold', completed: 'completed', cancelled: 'cancelled' };
/** "completed", "put on hold"… when the update changed the status; otherwise "updated". */
const projectUpdateVerb = (p: Payload): string => {
  const changes = Array.isArray(p.changes) ? (p.changes as unknown[]) : [];
  const status = (p.project as { status?: unknown } | undefined)?.status;
  return changes.includes('status') && typeof status === 'string' ? (projectStatusVerbs[status] ?? 'updated') : 'updated';
};

/** "Budget of Website Redesign 80 % used" (money), "Hours budget of … 80 % used" (hours). */
const budgetTitle = (p: Payload): string => `${p.kind === 'hours' ? 'Hours budget' : 'Budget'} of ${projectName(p)} ${String(p.threshold)} % used`;

/** "Invoice INV-2026-0007"; a draft has no number yet. */
const invoiceName = (p: Payload): string => (typeof p.number === 'string' && p.number ? `Invoice ${p.number}` : 'Draft invoice');
const invoiceNumber = (p: Payload): string => (typeof p.number === 'string' && p.number ? p.number : typeof p.invoiceNumber === 'string' && p.invoiceNumber ? p.invoiceNumber : '');
const recipient = (p: Payload): string => (typeof p.to === 'string' && p.to ? ` to ${p.to}` : '');
/** "€1,190.00": one fixed locale, as stored titles must not depend on the process's. */
const moneyOf = (p: Payload, field: string): string => {
  const amount = p[field];
  const currency = p.currency;
  if (typeof amount !== 'string' || typeof currency !== 'string' || !isCurrencyCode(currency)) return typeof amount === 'string' ? amount : '';
  try {
    return formatMoney(Money.of(amount, currency), { locale: 'en-US' });
  } catch {
    return `${amount} ${currency}`;
  }
};
const forInvoice = (p: Payload): string => (invoiceNumber(p) ? ` for ${invoiceNumber(p)}` : '');

const of = (client: string | null | undefined, word: string) => (client ? ` ${word} ${client}` : '');

/**
 * Known events get a sentence that says what happened to whom, without the actor ("by …" is
 * added after): "Note added to ACME Corp", "Client ACME Corp deactivated".
 */
const titles: Record<string, (p: Payload, names: TitleNames) => { what: string; quote?: string }> = {
  'crm.client.created.v1': (p) => ({ what: `Client ${clientName(p)} created` }),
  'crm.client.updated.v1': (p) => ({ what: `Client ${clientName(p)} ${clientUpdateVerb(p)}` }),
  'crm.client.deleted.v1': (p) => ({ what: `Client ${clientName(p)} deleted` }),
  'crm.contact.created.v1': (p, n) => ({ what: `Contact ${contactName(p)} added${of(n.client, 'to')}` }),
  'crm.contact.updated.v1': (p, n) => ({ what: `Contact ${contactName(p)}${of(n.client, 'of')} updated` }),
  'crm.contact.deleted.v1': (p, n) => ({ what: `Contact ${contactName(p)} removed${of(n.client, 'from')}` }),
  'crm.note.created.v1': (p, n) => ({ what: `Note added${of(n.client, 'to')}`, quote: noteBody(p) }),
  'crm.note.updated.v1': (p, n) => ({ what: `Note${of(n.client, 'on')} ${noteUpdateVerb(p)}`, quote: noteUpdateVerb(p) === 'edited' ? noteBody(p) : '' }),
  'crm.note.deleted.v1': (p, n) => ({ what: `Note deleted${of(n.client, 'from')}` }),
  'crm.attachment.added.v1': (p, n) => ({ what: `${attachmentFile(p)} added${of(attachmentParent(p, n), 'to')}` }),
  'crm.attachment.removed.v1': (p, n) => ({ what: `${attachmentFile(p)} removed${of(attachmentParent(p, n), 'from')}` }),
  'projects.attachment.added.v1': (p, n) => ({ what: `${attachmentFile(p)} added${of(attachmentParent(p, n), 'to')}` }),
  'projects.attachment.removed.v1': (p, n) => ({ what: `${attachmentFile(p)} removed${of(attachmentParent(p, n), 'from')}` }),
  'projects.project.created.v1': (p) => ({ what: `Project ${projectName(p)} created` }),
  'projects.project.updated.v1': (p) => ({ what: `Project ${projectName(p)} ${projectUpdateVerb(p)}` }),
  'projects.project.deleted.v1': (p) => ({ what: `Project ${projectName(p)} deleted` }),
  'projects.task.created.v1': (p) => ({ what: `Task ${taskTitle(p)} created` }),
  'projects.task.updated.v1': (p) => ({ what: `Task ${taskTitle(p)} done` }),
  'projects.budget.threshold_crossed.v1': (p) => ({ what: budgetTitle(p) }),
  'billing.invoice.drafted.v1': () => ({ what: 'Draft invoice created' }),
  'billing.invoice.deleted.v1': () => ({ what: 'Draft invoice deleted' }),
  'billing.invoice.issued.v1': (p) => ({ what: `${invoiceName(p)} issued` }),
  'billing.invoice.sent.v1': (p) => ({ what: `${invoiceName(p)} sent${recipient(p)}` }),
  'billing.invoice.viewed.v1': (p) => ({ what: `${invoiceName(p)} viewed by the client` }),
  'billing.invoice.overdue.v1': (p) => ({ what: `${invoiceName(p)} overdue` }),
  'billing.invoice.reminder_sent.v1': (p) => ({ what: `Reminder for ${invoiceName(p).replace(/^\w/, (c) => c.toLowerCase())} sent${recipient(p)}` }),
  'billing.invoice.partially_paid.v1': (p) => ({ what: `${invoiceName(p)} partially paid, ${moneyOf(p, 'amountDue')} due` }),
  'billing.invoice.paid.v1': (p) => ({ what: `${invoiceName(p)} paid` }),
  'billing.invoice.refunded.v1': (p) => ({ what: `Refund of ${moneyOf(p, 'amountRefunded')} on ${invoiceName(p).replace(/^\w/, (c) => c.toLowerCase())}` }),
  'billing.invoice.voided.v1': (p) => ({ what: `${invoiceName(p)} voided` }),
  'payments.payment.succeeded.v1': (p) => ({ what: `Payment of ${moneyOf(p, 'amount')} received${forInvoice(p)}` }),
  'payments.payment.failed.v1': (p) => ({ what: `Payment of ${moneyOf(p, 'amount')} failed${forInvoice(p)}` }),
  'payments.payment.refunded.v1': (p) => ({ what: `Refund of ${moneyOf(p, 'refundAmount' in p ? 'refundAmount' : 'amountRefunded')} issued${forInvoice(p)}` }),
};

/**
 * Routine high-volume events are no timeline entries (events.md › Timeline): each time entry,
 * each task change but a task getting done, each task deletion, each save of a draft invoice.
 */
function isRoutine(event: EventEnvelope, p: Payload): boolean {
  if (event.name.startsWith('projects.time_entry.')) return true;
  if (event.name === 'projects.task.deleted.v1') return true;
  // Each save of a draft while it is being built; drafting, issuing and sending are entries.
  if (event.name === 'billing.invoice.updated.v1') return true;
  if (event.name === 'projects.task.updated.v1') {
    const changes = Array.isArray(p.changes) ? (p.changes as unknown[]) : [];
    return !(changes.includes('status') && (p.task as { status?: unknown } | undefined)?.status === 'done');
  }
  return false;
}

/**
 * What is stored for an entry: the headline without the actor ("Note added to ACME Corp") and the
 * quoted text, if any. The actor's name is added when entries are read (`composeTitle`): the
 * member replica may learn a name after the entry was recorded.
 */
export function timelineHeadline(event: EventEnvelope, names: TitleNames = {}): { title: string; quote: string | null } {
  const payload = (event.payload ?? {}) as Payload;
  const known = titles[event.name];
  if (known) {
    const { what, quote } = known(payload, names);
    return { title: what, quote: quote || null };
  }
  const [service, entity, verb] = event.name.split('.');
  return { title: `${service} ${(entity ?? '').replace(/_/g, ' ')} ${verb ?? ''}`.trim(), quote: null };
}

/** "Note added to ACME Corp by Marta: 'Call back Monday…'": the actor when crm knows the member. */
export const composeTitle = (title: string, actor: string | null, quote: string | null): string =>
  `${title}${actor ? ` by ${actor}` : ''}${quote ? `: '${quote}'` : ''}`;

/** The whole title as the API shows it. */
export function timelineTitle(event: EventEnvelope, names: TitleNames & { actor?: string | null } = {}): string {
  const { title, quote } = timelineHeadline(event, names);
  return composeTitle(title, names.actor ?? null, quote);
}

/** "12 contacts imported from contacts.csv": one entry per client for a whole import. */
export const importedContactsTitle = (count: number, fileName: string | null): string =>
  `${count} ${count === 1 ? 'contact' : 'contacts'} imported from ${fileName ?? 'a CSV file'}`;

/**
 * The client an event names (`clientId` at the top of its payload, events.md), and the entity it
 * concerns; null when it names no client, and then it is no timeline entry.
 */
export function timelineSubject(event: EventEnvelope): { clientId: string; kind: string; id: string } | null {
  const p = (event.payload ?? {}) as Payload;
  const clientId = namedClientId(event);
  if (!clientId || isRoutine(event, p)) return null;
  // A budget event is about its project.
  if (event.name.startsWith('projects.budget.') && typeof p.projectId === 'string') return { clientId, kind: 'project', id: p.projectId };
  const kind = event.name.split('.')[1] ?? 'unknown';
  const own = p[kind] as { id?: unknown } | undefined;
  const ownId = typeof own?.id === 'string' ? own.id : typeof p[`${camel(kind)}Id`] === 'string' ? (p[`${camel(kind)}Id`] as string) : clientId;
  return { clientId, kind, id: ownId };
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
