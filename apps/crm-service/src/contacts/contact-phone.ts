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
