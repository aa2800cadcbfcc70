import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 form of a phone number as typed, or null when it cannot be parsed. A national number
 * ("(415) 555-0100") is read in the client's country; without one only international numbers
 * ("+44 20 7946 0958") can be parsed. `isPossible` (a length check) rather than `isValid` (the
 * numbering plan), so a real number in a range newer than our metadata is still normalised.
 */
export function toE164(phone: string | null | undefined, country: string | null | undefined): string | null {
  if (!phone) return null;
  const region = country && isSupportedCountry(country) ? country : undefined;
  const parsed = parsePhoneNumberFromString(phone, region);
  return parsed?.isPossible() ? parsed.number : null;
}

export interface PhoneParser {
  toE164(phone: string | null, country: string | null): string | null;
}

/** Parses each time: what a single API write needs. */
export const phoneParser: PhoneParser = { toE164 };

/**
 * The key of a `toE164` result. A number written internationally ("+44 …") reads the same whatever
 * the country (libphonenumber takes the calling code from the number and uses the default country
 * only to recognise a national one), so it is keyed without one: a result worked out before the
 * row's client was known is still the row's.
 */
export const phoneKey = (phone: string, country: string | null): string => (phone.startsWith('+') ? `+\u0000${phone}` : `${country ?? ''}\u0000${phone}`);

/**
 * `toE164` results by (phone, country), for bulk work: a file repeats the same few numbers and
 * countries, and parsing is the dearest step of a row. Results can also be worked out ahead, off
 * the job's thread (`PhoneWorker`), and put in. Bounded; the oldest entry goes first.
 */
export class PhoneCache implements PhoneParser {
  private readonly map = new Map<string, string | null>();
  private readonly countries = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  toE164(phone: string | null, country: string | null): string | null {
    if (!phone) return null;
    if (country) this.countries.set(country, (this.countries.get(country) ?? 0) + 1);
    const key = phoneKey(phone, country);
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = toE164(phone, country);
    this.set(key, value);
    return value;
  }

  has(phone: string, country: string | null): boolean {
    return this.map.has(phoneKey(phone, country));
  }

  /** Results worked out elsewhere: exactly what `toE164(phone, country)` returns. */
  put(phone: string, country: string | null, e164: string | null): void {
    this.set(phoneKey(phone, country), e164);
  }

  /** The country most numbers so far were read in: the best guess for a national number's client before it is known. */
  likelyCountry(): string | null {
    let best: string | null = null;
    let most = 0;
    for (const [country, n] of this.countries) {
      if (n > most) [best, most] = [country, n];
    }
    return best;
  }

  private set(key: string, value: string | null): void {
    if (this.map.size >= this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }
}
