import { DEFAULT_TIME_SETTINGS, type RoundingRule, type TimeSettings } from '@atelier/contracts';
import type { Weekday } from '@atelier/time';
import type { TimeSettingsRow } from './time-settings-repository.js';

export const toTimeSettings = (row: TimeSettingsRow | null | undefined): TimeSettings =>
  row
    ? { rounding: { mode: row.roundingMode, minutes: row.roundingMinutes as RoundingRule['minutes'] }, weekStartsOn: row.weekStartsOn, defaultBillable: row.defaultBillable }
    : DEFAULT_TIME_SETTINGS;

export const weekdayOf = (settings: TimeSettings): Weekday => settings.weekStartsOn as Weekday;
