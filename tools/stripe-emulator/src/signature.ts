import { createHmac } from 'node:crypto';

/**
 * Stripe's webhook signature: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the
 * whsec_ secret>`, one `v1` per secret in force (two while a rolled secret is still honoured).
 */
export function signatureHeader(payload: string, secrets: string | readonly string[], timestamp: number): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const v1 = list.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`);
  return [`t=${timestamp}`, ...v1].join(',');
}
