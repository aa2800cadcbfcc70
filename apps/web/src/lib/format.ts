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

const calendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A work day (`YYYY-MM-DD`) as "Mar 4, 2025": read as a calendar day, never shifted by the reader's time zone. */
export function formatDay(value: string | null | undefined): string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return '—';
  return calendarDay.format(new Date(`${value}T00:00:00Z`));
}

/** "Mar 4" for chart axes. */
export function formatShortDay(value: string): string {
  return shortDay.format(new Date(`${value}T00:00:00Z`));
}

/** Decimal hours from the API ("12.50") as "12.5 h"; display only, so a float is fine here. */
export function formatHours(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  return Number.isFinite(n) ? `${n.toLocaleString(undefined, { maximumFractionDigits: 2 })} h` : value;
}

/** Minutes as "1 h 30 min", "45 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h.toLocaleString()} h` : `${h.toLocaleString()} h ${m} min`;
}

/** API hours ("40.00", "12.50") as a person types them ("40", "12.5"), for editing. */
export const editableHours = (value: string | null | undefined): string => (value ?? '').replace(/\.0+$|(\.\d*?)0+$/, '$1');
