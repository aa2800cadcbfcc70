import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random base62 string, the shape of the tail of Stripe's ids. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Ids shaped like Stripe's test-mode ids (`cs_test_…`, `pi_…`, `evt_…`), so prefix checks in callers hold. */
export const newId = {
  checkoutSession: () => `cs_test_${randomId(58)}`,
  paymentIntent: () => `pi_${randomId(24)}`,
  charge: () => `ch_${randomId(24)}`,
  refund: () => `re_${randomId(24)}`,
  event: () => `evt_${randomId(24)}`,
  lineItem: () => `li_${randomId(24)}`,
  price: () => `price_${randomId(24)}`,
  product: () => `prod_${randomId(14)}`,
  paymentMethod: () => `pm_${randomId(24)}`,
  request: () => `req_${randomId(14)}`,
  webhookEndpoint: () => `we_${randomId(24)}`,
  delivery: () => `whd_${randomId(20)}`,
  secret: () => `whsec_${randomId(32)}`,
};
