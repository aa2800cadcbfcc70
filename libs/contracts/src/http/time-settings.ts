import { z } from 'zod';

export const RoundingMode = z.enum(['none', 'up', 'down', 'nearest']);
export type RoundingMode = z.infer<typeof RoundingMode>;
export const ROUNDING_STEPS = [1, 5, 6, 10, 15, 30, 60] as const;
export const RoundingStep = z.union(ROUNDING_STEPS.map((m) => z.literal(m)) as [z.ZodLiteral<1>, ...z.ZodLiteral<(typeof ROUNDING_STEPS)[number]>[]]);
export type RoundingStep = (typeof ROUNDING_STEPS)[number];

/** How logged minutes become billed minutes; `minutes` is the step (ignored with `none`). */
export const RoundingRule = z.object({ mode: RoundingMode, minutes: RoundingStep }).strict().meta({ id: 'RoundingRule' });
export type RoundingRule = z.infer<typeof RoundingRule>;

/** ISO weekday: 1 Monday … 7 Sunday. */
export const WeekStartsOn = z.number().int().min(1).max(7);

/** Per agency; the default is nearest 15 minutes, weeks from Monday, time billable. */
export const TimeSettings = z
  .object({ rounding: RoundingRule, weekStartsOn: WeekStartsOn, defaultBillable: z.boolean() })
  .meta({ id: 'TimeSettings' });
export type TimeSettings = z.infer<typeof TimeSettings>;
export const DEFAULT_TIME_SETTINGS: TimeSettings = { rounding: { mode: 'nearest', minutes: 15 }, weekStartsOn: 1, defaultBillable: true };

/** A changed rule applies to entries logged or edited afterwards, never to existing ones. */
export const UpdateTimeSettingsBody = z
  .object({ rounding: RoundingRule.optional(), weekStartsOn: WeekStartsOn.optional(), defaultBillable: z.boolean().optional() })
  .strict()
  .meta({ id: 'UpdateTimeSettingsBody' });
export type UpdateTimeSettingsBody = z.infer<typeof UpdateTimeSettingsBody>;
