import { DEFAULT_TIME_SETTINGS, type RoundingRule } from '@atelier/contracts';

/** Nearest quarter hour: billable time accurate to 0.25 h, what agencies expect out of the box. */
export const DEFAULT_ROUNDING: RoundingRule = DEFAULT_TIME_SETTINGS.rounding;

/**
 * The minutes billed and budgeted for `minutes` logged. `nearest` rounds a tie up (7.5 of 15 is
 * never logged: minutes are whole, so 8 of 15 rounds up and 7 down). The raw minutes are kept on
 * the entry; this is only ever computed from them, so changing the rule later can be applied to
 * an entry again without drift.
 */
export function roundMinutes(minutes: number, rule: RoundingRule): number {
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a whole number ≥ 0, got ${minutes}`);
  const step = rule.minutes;
  const whole = Math.floor(minutes / step);
  const rest = minutes - whole * step;
  switch (rule.mode) {
    case 'none':
      return minutes;
    case 'down':
      return whole * step;
    case 'up':
      return rest === 0 ? minutes : (whole + 1) * step;
    case 'nearest':
      return 2 * rest >= step ? (whole + 1) * step : whole * step;
  }
}
