import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InternalTokenVerifier, signInternalToken } from '../src/auth/internal-token.js';

const SECRET = 'unit-test-internal-token-secret-0123456789';
const principal = () => ({ userId: randomUUID(), agencyId: randomUUID(), role: 'owner' as const, aud: 'crm' as const });

describe('InternalTokenVerifier', () => {
  it('accepts a valid token, again from memory, with the same claims', () => {
    const verifier = new InternalTokenVerifier(SECRET, 'crm');
    const who = principal();
    const token = signInternalToken(SECRET, who);
    const first = verifier.verify(token);
    expect(first).toMatchObject(who);
    expect(verifier.verify(token)).toEqual(first);
  });

  it('refuses a forged, tampered or foreign token, even after the genuine one was remembered', () => {
    const verifier = new InternalTokenVerifier(SECRET, 'crm');
    const token = signInternalToken(SECRET, principal());
    expect(verifier.verify(token)).not.toBeNull();
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ ...principal(), exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    expect(verifier.verify(`${other}.${signature}`)).toBeNull();
    // The first character carries six bits of the MAC (the last one partly padding).
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(verifier.verify(`${payload}.${flipped}`)).toBeNull();
    expect(verifier.verify(signInternalToken('another-secret-of-at-least-32-characters', principal()))).toBeNull();
    expect(verifier.verify(undefined)).toBeNull();
  });

  it('refuses a token minted for another service (aud), even one another verifier remembers', () => {
    const forBilling = signInternalToken(SECRET, { ...principal(), aud: 'billing' });
    expect(new InternalTokenVerifier(SECRET, 'billing').verify(forBilling)).not.toBeNull();
    expect(new InternalTokenVerifier(SECRET, 'crm').verify(forBilling)).toBeNull();
  });

  it('refuses an expired token', () => {
    const verifier = new InternalTokenVerifier(SECRET, 'crm');
    expect(verifier.verify(signInternalToken(SECRET, principal(), -1))).toBeNull();
  });
});
