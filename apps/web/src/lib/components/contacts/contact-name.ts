import type { Contact } from '@atelier/contracts';

/** "Ada Lovelace", or just "Ada". */
export function contactName(c: Pick<Contact, 'firstName' | 'lastName'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}
