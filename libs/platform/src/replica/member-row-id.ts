import { createHash } from 'node:crypto';

/**
 * The replica row id of a member: one row per agency and user, a stable UUID (name-based,
 * SHA-1, RFC 4122 layout) from the pair, as a person can be a member of several agencies.
 */
export function memberRowId(agencyId: string, userId: string): string {
  const h = createHash('sha1').update(`${agencyId}:${userId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
