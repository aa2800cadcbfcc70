import { describe, expect, it } from 'vitest';
import { optionalPhone, phoneProblem } from '../src/phone.js';

describe('phone numbers', () => {
  it('accepts what people write as a phone number, as they wrote it', () => {
    for (const phone of ['+44 20 7946 0958', '(415) 555-0100', '030/1234567', '0049 (0)30 1234567', '+1 415 555 0100 x12', '+1 415 555 0100 ext. 123', '020.7946.0958', '4021']) {
      expect(phoneProblem(phone), phone).toBeNull();
    }
    expect(optionalPhone.parse('  (415) 555-0100 ')).toBe('(415) 555-0100');
    expect(optionalPhone.parse('')).toBeNull();
    expect(optionalPhone.parse(null)).toBeNull();
  });

  it('refuses text without digits, letters, and too few or too many digits, saying why', () => {
    expect(phoneProblem('call me maybe!!!')).toBe('must be a phone number: it has no digits');
    expect(phoneProblem('555-CALL-NOW')).toMatch(/^must be a phone number: only digits/);
    expect(phoneProblem('++44 20')).toMatch(/^must be a phone number: only digits/);
    expect(phoneProblem('12')).toBe('must be a phone number: at least 4 digits');
    expect(phoneProblem('1234567890123456')).toBe('must be a phone number: at most 15 digits');
  });

  it('reports a phone over 50 characters once, as too long', () => {
    const issues = optionalPhone.safeParse('x'.repeat(51)).error?.issues ?? [];
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('too_big');
  });
});
