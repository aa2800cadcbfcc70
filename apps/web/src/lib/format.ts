const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Mar 4, 2025, 2:30 PM" in the reader's locale and time zone. */
export function formatDateTime(value: string | null | undefined): string {
  const d = parse(value);
  return d ? dateTime.format(d) : '—';
}

/** "Mar 4, 2025". */
export function formatDate(value: string | null | undefined): string {
  const d = parse(value);
  return d ? dateOnly.format(d) : '—';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "5 minutes ago", falling back to the date after a week. */
export function formatRelative(value: string | null | undefined, now: Date = new Date()): string {
  const d = parse(value);
  if (!d) return '—';
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return formatDate(value);
}

const roleNames = { owner: 'Owner', admin: 'Admin', manager: 'Manager', member: 'Member' } as const;

export function formatRole(role: string): string {
  return (roleNames as Record<string, string>)[role] ?? role;
}

/** Count with a noun: "1 client", "3 clients". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
