import { BUDGET_THRESHOLDS, type BudgetKind, type BudgetThreshold } from '@atelier/contracts';
import { addDays } from '@atelier/time';
import { decimalsOf } from '@atelier/money';
import { ceilDiv, ratioString, toUnits } from './decimal-units.js';


export interface BudgetUsage {
  /** Budget in hours (decimal string) or none. */
  budgetHours: string | null;
  /** Budget in the project's currency (decimal string) or none. */
  budgetAmount: string | null;
  /** Billed-and-budgeted minutes so far (rounded minutes of the project's entries). */
  usedMinutes: number;
  /** Amount so far in the project's currency (decimal string). */
  amountUsed: string;
}

export interface Crossing {
  kind: BudgetKind;
  threshold: BudgetThreshold;
}

interface Share {
  kind: BudgetKind;
  used: bigint;
  budget: bigint;
  /** What was used on the trailing window, on the same scale (forecasts only). */
  recent: bigint;
}

/** used / budget as integers on one scale, for each budget the project has (a zero budget counts as none). */
function shares(u: BudgetUsage, recent?: { minutes: number; amount: string }): Share[] {
  const out: Share[] = [];
  if (u.budgetHours !== null) {
    const unit = 10n ** BigInt(decimalsOf(u.budgetHours));
    // minutes against hours × 60, both in 10^-scale units of a minute
    const budget = toUnits(u.budgetHours, decimalsOf(u.budgetHours)) * 60n;
    if (budget > 0n) out.push({ kind: 'hours', used: BigInt(u.usedMinutes) * unit, budget, recent: BigInt(recent?.minutes ?? 0) * unit });
  }
  if (u.budgetAmount !== null) {
    const scale = Math.max(decimalsOf(u.budgetAmount), decimalsOf(u.amountUsed), decimalsOf(recent?.amount ?? '0'));
    const budget = toUnits(u.budgetAmount, scale);
    if (budget > 0n) out.push({ kind: 'money', used: toUnits(u.amountUsed, scale), budget, recent: toUnits(recent?.amount ?? '0', scale) });
  }
  return out;
}

/** Every threshold the usage has reached (used ≥ threshold % of the budget), per budget kind. */
export function reachedThresholds(u: BudgetUsage): Crossing[] {
  const out: Crossing[] = [];
  for (const s of shares(u)) for (const threshold of BUDGET_THRESHOLDS) if (s.used * 100n >= BigInt(threshold) * s.budget) out.push({ kind: s.kind, threshold });
  return out;
}

/**
 * The thresholds to announce now: reached and not announced before. An edit that goes back
 * below a threshold and over it again announces nothing new, because what was announced is
 * kept (`budget_thresholds_crossed`) and never removed.
 */
export function newCrossings(u: BudgetUsage, announced: readonly Crossing[]): Crossing[] {
  const seen = new Set(announced.map((c) => `${c.kind}:${c.threshold}`));
  return reachedThresholds(u).filter((c) => !seen.has(`${c.kind}:${c.threshold}`));
}

/**
 * The share of the budget used, as a percentage decimal string with one decimal ("80.0"): the
 * larger of the hours and money shares when the project has both, null when it has neither.
 */
export function budgetUsedPercent(u: BudgetUsage): string | null {
  let best: { used: bigint; budget: bigint } | null = null;
  for (const s of shares(u)) if (!best || s.used * best.budget > best.used * s.budget) best = s;
  return best ? ratioString(best.used * 100n, best.budget, 1) : null;
}

/** Each budget's share used, as a percentage with one decimal: `{ hours: "80.0", money: "42.5" }` for the budgets the project has. */
export function usedPercentByKind(u: BudgetUsage): Partial<Record<BudgetKind, string>> {
  return Object.fromEntries(shares(u).map((s) => [s.kind, ratioString(s.used * 100n, s.budget, 1)]));
}

export interface BurnInput extends BudgetUsage {
  /** Today in the agency's timezone. */
  today: string;
  /** Rounded minutes and amount logged on the trailing 14 work days (today included). */
  recentMinutes: number;
  recentAmount: string;
}

export const FORECAST_WINDOW_DAYS = 14;

/**
 * When the budget runs out at the trailing 14 days' burn: for each budget, the days until what
 * is left is used at that average daily rate, rounded up; the earlier of the two. Today when the
 * budget is used up already, null with no budget or no recent burn (nothing runs out).
 */
export function forecastRunOutDate(input: BurnInput): string | null {
  let soonest: bigint | null = null;
  for (const s of shares(input, { minutes: input.recentMinutes, amount: input.recentAmount })) {
    const left = s.budget - s.used;
    const days = left <= 0n ? 0n : s.recent > 0n ? ceilDiv(left * BigInt(FORECAST_WINDOW_DAYS), s.recent) : null;
    if (days !== null && (soonest === null || days < soonest)) soonest = days;
  }
  return soonest === null ? null : addDays(input.today, Number(soonest));
}
