/** What a test card or IBAN does, as in Stripe's testing docs. */
export type CardOutcome =
  | { ok: true; brand: string; last4: string }
  | { ok: false; code: string; declineCode?: string; message: string; brand: string; last4: string };

const DECLINES: Record<string, { code: string; declineCode?: string; message: string }> = {
  '4000000000000002': { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  '4000000000009995': { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000000000009987': { code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  '4000000000009979': { code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' },
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.' },
  '4000000000000127': { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  '4000000000000119': { code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
};

const SUCCEEDS = new Set(['4242424242424242', '4000056655665556', '5555555555554444', '2223003122003222', '5200828282828210', '378282246310005', '6011111111111117']);

export const normalizeCardNumber = (input: string) => input.replace(/[\s-]/g, '');

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const brandOf = (n: string) => (n.startsWith('4') ? 'visa' : /^(5[1-5]|2[2-7])/.test(n) ? 'mastercard' : /^3[47]/.test(n) ? 'amex' : n.startsWith('6') ? 'discover' : 'unknown');

/** Undefined when the number is not a card number at all (the page says so without charging). */
export function cardOutcome(input: string): CardOutcome | undefined {
  const n = normalizeCardNumber(input);
  if (!luhnValid(n)) return undefined;
  const brand = brandOf(n);
  const last4 = n.slice(-4);
  if (SUCCEEDS.has(n)) return { ok: true, brand, last4 };
  const decline = DECLINES[n];
  if (decline) return { ok: false, ...decline, brand, last4 };
  // Stripe's test mode refuses real card numbers.
  return { ok: false, code: 'card_declined', declineCode: 'test_mode_live_card', message: 'Your card was declined. Your request was in test mode, but used a non test card.', brand, last4 };
}

/** Stripe's `pm_card_*` test payment methods, for PaymentIntents confirmed through the API. */
export const TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
};

export const normalizeIban = (input: string) => input.replace(/\s/g, '').toUpperCase();

/** ISO 13616 check digits (mod 97). */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

/** Stripe's SEPA test IBANs end in …3000 (succeeds) and …3001 (fails); others succeed. */
export const ibanSucceeds = (iban: string) => !iban.endsWith('3001');
