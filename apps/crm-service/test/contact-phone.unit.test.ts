import { afterAll, describe, expect, it } from 'vitest';
import { PhoneWorker } from '../src/contacts/contact-phone-worker.js';
import { PhoneCache, toE164 } from '../src/contacts/contact-phone.js';

const international = ['+44 20 7946 0958', '+44 (0)20 7946 0958', '+44 7700 900123', '+1 (415) 555-0100 ext. 12', '+49 30 1234567', '+81 3-1234-5678', '+0 123 4567', '+999 1234 5678', '+44 12', '+353 1 234 5678'];
const national = ['020 7946 0958', '(415) 555-0100', '030 1234567', '00 44 20 7946 0958', '011 44 20 7946 0958', '0044 20 7946 0958', '12345'];
const countries = [null, 'GB', 'US', 'DE', 'JP', 'IE', 'XX'];

let worker: PhoneWorker | null = null;
afterAll(async () => {
  await worker?.close();
});

describe('phone numbers for bulk work', () => {
  it('read an international number the same in every country, so the cache keys it without one', () => {
    for (const phone of international) {
      const results = new Set(countries.map((c) => toE164(phone, c)));
      expect(results.size, phone).toBe(1);
    }
    const cache = new PhoneCache();
    cache.put('+44 20 7946 0958', 'US', '+442079460958');
    expect(cache.has('+44 20 7946 0958', 'GB')).toBe(true);
    expect(cache.has('020 7946 0958', 'GB')).toBe(false);
  });

  it('are worked out by the phone worker exactly as toE164 does, national ones by their country', async () => {
    worker = new PhoneWorker();
    const cache = new PhoneCache();
    const items = countries.flatMap((country) => [...international, ...national].map((phone) => ({ phone, country })));
    await worker.fill(cache, items);
    for (const { phone, country } of items) {
      expect(cache.has(phone, country), `${phone} in ${country}`).toBe(true);
      expect(cache.toE164(phone, country), `${phone} in ${country}`).toBe(toE164(phone, country));
    }
    // A national number guessed in the wrong country is not taken for another country's.
    expect(cache.has('020 7946 0958', 'FR')).toBe(false);
    expect(cache.toE164('020 7946 0958', 'FR')).toBe(toE164('020 7946 0958', 'FR'));
  });

  it('guess a national number\'s country from the numbers read so far', () => {
    const cache = new PhoneCache();
    expect(cache.likelyCountry()).toBeNull();
    cache.toE164('020 7946 0958', 'GB');
    cache.toE164('020 7946 0959', 'GB');
    cache.toE164('(415) 555-0100', 'US');
    expect(cache.likelyCountry()).toBe('GB');
  });
});
