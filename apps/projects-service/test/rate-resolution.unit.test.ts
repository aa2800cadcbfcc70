import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateScope } from '@atelier/contracts';
import { RATE_PRECEDENCE, resolveRate, type RateCardLike, type RateTarget } from '../src/rates/rate-resolution.js';

const P = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const C = '00000000-0000-4000-8000-000000000003';
const U = '00000000-0000-4000-8000-000000000004';
const U2 = '00000000-0000-4000-8000-000000000005';

let seq = 0;
const card = (scope: RateScope, amount: string, effectiveFrom: string, ids: Partial<Pick<RateCardLike, 'clientId' | 'projectId' | 'userId'>> = {}): RateCardLike => {
  const base = { project_member: { projectId: P, userId: U }, project: { projectId: P }, client: { clientId: C }, member: { userId: U }, agency: {} }[scope];
  return { id: `card-${String(++seq).padStart(4, '0')}`, scope, clientId: null, projectId: null, userId: null, ...base, ...ids, amount, currency: 'EUR', effectiveFrom };
};
const entry = (date: string, over: Partial<RateTarget> = {}): RateTarget => ({ projectId: P, clientId: C, userId: U, date, ...over });

describe('resolveRate', () => {
  const all = [card('agency', '50.00', '2026-01-01'), card('member', '60.00', '2026-01-01'), card('client', '70.00', '2026-01-01'), card('project', '80.00', '2026-01-01'), card('project_member', '90.00', '2026-01-01')];

  it('takes the most specific scope: project_member → project → client → member → agency', () => {
    for (let i = 0; i < all.length; i++) {
      const cards = all.slice(0, all.length - i);
      expect(resolveRate(cards, entry('2026-06-01'))?.scope).toBe(RATE_PRECEDENCE[i]);
    }
  });

  it('ignores cards of other projects, clients and members', () => {
    const cards = [card('agency', '50.00', '2026-01-01'), card('project', '80.00', '2026-01-01', { projectId: P2 }), card('member', '60.00', '2026-01-01', { userId: U2 }), card('project_member', '90.00', '2026-01-01', { userId: U2 })];
    expect(resolveRate(cards, entry('2026-06-01'))?.amount).toBe('50.00');
    expect(resolveRate(cards, entry('2026-06-01', { userId: U2 }))?.amount).toBe('90.00');
    expect(resolveRate(cards, entry('2026-06-01', { projectId: P2 }))?.amount).toBe('80.00');
  });

  it('takes the latest effectiveFrom on or before the entry date: the boundary day is the new rate', () => {
    const cards = [card('project', '80.00', '2026-01-01'), card('project', '85.00', '2026-03-01'), card('project', '99.00', '2026-09-01')];
    expect(resolveRate(cards, entry('2026-02-28'))?.amount).toBe('80.00');
    expect(resolveRate(cards, entry('2026-03-01'))?.amount).toBe('85.00');
    expect(resolveRate(cards, entry('2026-08-31'))?.amount).toBe('85.00');
    expect(resolveRate(cards, entry('2026-09-01'))?.amount).toBe('99.00');
    expect(resolveRate(cards, entry('2025-12-31'))).toBeNull();
  });

  it('a specific card that starts later does not hide a broader one already in force', () => {
    const cards = [card('client', '70.00', '2026-01-01'), card('project_member', '90.00', '2026-05-01')];
    expect(resolveRate(cards, entry('2026-04-30'))?.scope).toBe('client');
    expect(resolveRate(cards, entry('2026-05-01'))?.scope).toBe('project_member');
  });

  it('answers null when nothing applies', () => {
    expect(resolveRate([], entry('2026-01-01'))).toBeNull();
  });

  it('property: the winner applies, is in force, and no applicable card in force beats it', () => {
    const scopes = fc.constantFrom(...RATE_PRECEDENCE);
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);
    const cards = fc.array(fc.tuple(scopes, day, fc.boolean()), { maxLength: 12 }).map((xs) => xs.map(([s, d, other]) => card(s, '10.00', d, other ? { projectId: P2, userId: U2, clientId: null } : {})));
    fc.assert(
      fc.property(cards, day, (cs, date) => {
        const t = entry(date);
        const won = resolveRate(cs, t);
        const rank = (c: RateCardLike) => RATE_PRECEDENCE.indexOf(c.scope);
        const applicable = cs.filter((c) => c.effectiveFrom <= date && resolveRate([c], t) !== null);
        if (!won) {
          expect(applicable).toEqual([]);
          return;
        }
        expect(applicable).toContain(won);
        for (const c of applicable) expect(rank(c) > rank(won) || (rank(c) === rank(won) && c.effectiveFrom <= won.effectiveFrom)).toBe(true);
      }),
    );
  });
});
