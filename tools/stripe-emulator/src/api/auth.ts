import type { Request } from 'express';
import { authenticationError } from '../errors.js';

const mask = (key: string) => `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

/**
 * Stripe's authentication: the secret key as a Bearer token (or as the Basic user name, the
 * way curl -u sends it). Test-mode keys only: the emulator is never live.
 */
export function authenticate(req: Request, only?: string): string {
  const header = req.header('authorization') ?? '';
  let key: string | undefined;
  if (header.startsWith('Bearer ')) key = header.slice(7).trim();
  else if (header.startsWith('Basic ')) key = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  if (!key) {
    throw authenticationError('You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').');
  }
  const valid = only ? key === only : /^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key);
  if (!valid) throw authenticationError(`Invalid API Key provided: ${mask(key)}`);
  return key;
}
