/**
 * Durations as people type and read them. The API counts whole minutes; a person types
 * "1:30", "1.5", "1,5", "90m" or "1h 30m", and reads "1:30".
 */

/** "1:30" → 90, "1.5" → 90, "1,25" → 75, "45m" → 45, "2h" → 120, "1h 30m" → 90; blank → 0; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return 0;
  let m = t.match(/^(\d{1,3}):([0-5]?\d)$/);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = t.match(/^(?:(\d{1,3}(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,4})\s*m(?:in(?:utes?|s)?)?)?$/);
  if (m && (m[1] !== undefined || m[2] !== undefined)) {
    const hours = m[1] !== undefined ? Number(m[1].replace(',', '.')) : 0;
    return Math.round(hours * 60) + (m[2] !== undefined ? Number(m[2]) : 0);
  }
  m = t.match(/^(\d{1,3}(?:[.,]\d+)?|[.,]\d+)$/);
  if (m) return Math.round(Number(m[1]!.replace(',', '.')) * 60);
  return null;
}

/** 90 → "1:30", 5 → "0:05", 0 → "0:00". */
export function formatDuration(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minutes));
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}

/** A cell's text: blank for nothing logged, else "1:30". */
export const formatCell = (minutes: number): string => (minutes === 0 ? '' : formatDuration(minutes));

/** 3725 seconds → "1:02:05": what a running timer shows. */
export function formatElapsed(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** 90 → "1 hour 30 minutes": for screen readers and announcements. */
export function spokenDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [h ? `${h} ${h === 1 ? 'hour' : 'hours'}` : '', m || !h ? `${m} ${m === 1 ? 'minute' : 'minutes'}` : ''];
  return parts.filter(Boolean).join(' ');
}
