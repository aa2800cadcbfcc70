import type { BillingStatus, TimeEntry } from '@atelier/contracts';

export const billingStatusLabels = {
  unbilled: 'Unbilled',
  reserved: 'On a draft invoice',
  billed: 'Billed',
} as const satisfies Record<BillingStatus, string>;

/** Reserved and billed entries are on an invoice: the API refuses to change them (409). */
export const isLocked = (entry: Pick<TimeEntry, 'billingStatus'>): boolean => entry.billingStatus !== 'unbilled';
