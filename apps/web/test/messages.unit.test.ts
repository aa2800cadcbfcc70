import { describe, expect, it } from 'vitest';
import { fieldMessage } from '../src/lib/field-messages.js';
import { linkify } from '../src/lib/components/notes/linkify.js';

describe('field messages for people', () => {
  it('names the field and says the limit instead of the validator words', () => {
    expect(fieldMessage('Name', 'Too big: expected string to have <=200 characters')).toBe('Name can be at most 200 characters');
    expect(fieldMessage('Name', 'Too small: expected string to have >=1 characters')).toBe('Name is required');
    expect(fieldMessage('Email', 'Invalid email address')).toBe('Email must be an email address, such as name@example.com');
    expect(fieldMessage('Phone', 'must be a phone number: it has no digits')).toBe('Phone needs digits, for example +44 20 7946 0958');
  });

  it('words the contract\'s hours, money and date-order messages for people', () => {
    expect(fieldMessage('Budget (hours)', 'must be a decimal string of hours such as "1.25"')).toBe('Budget (hours) must be a number of hours with at most 2 decimals, such as 12.5');
    expect(fieldMessage('Hourly rate', 'must be a decimal string such as "1250.00"')).toBe('Hourly rate must be an amount such as 1250.00');
    expect(fieldMessage('Due date', 'must be on or after startDate')).toBe('Due date must be on or after the start date');
    expect(fieldMessage('Hourly rate', 'must not be negative')).toBe('Hourly rate must not be negative');
  });

  it('prefixes fragments with the label and keeps whole sentences', () => {
    expect(fieldMessage('First name', 'is required')).toBe('First name is required');
    expect(fieldMessage('Client', 'Choose the client this person works for.')).toBe('Choose the client this person works for.');
  });
});

describe('links in notes', () => {
  it('links http and https addresses, leaving trailing punctuation as text', () => {
    expect(linkify('See https://example.com/brief. Thanks')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/brief', href: 'https://example.com/brief' },
      { text: '. Thanks' },
    ]);
    expect(linkify('www.example.com')).toEqual([{ text: 'www.example.com', href: 'https://www.example.com/' }]);
  });

  it('never links other schemes', () => {
    expect(linkify('javascript:alert(1) data:text/html,x')).toEqual([{ text: 'javascript:alert(1) data:text/html,x' }]);
  });
});
