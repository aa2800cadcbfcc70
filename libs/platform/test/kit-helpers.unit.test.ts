import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError, decodeCursor, encodeCursor, isDataException, isTransient, isUniqueViolation, isUuid, pgErrorCode } from '../src/index.js';

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const rejectedWith = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
};

describe('the one cursor codec', () => {
  it('round-trips a position of its own list and sort', () => {
    const id = randomUUID();
    const cursor = encodeCursor({ key: 'name:asc', value: 'ACME', id });
    expect(decodeCursor(cursor, 'name:asc')).toEqual({ key: 'name:asc', value: 'ACME', id });
    expect(decodeCursor(undefined, 'name:asc')).toBeNull();
  });

  it('refuses another sort, a non-uuid id, a NUL, a wrong-shaped value or garbage with list.invalid_cursor', () => {
    const id = randomUUID();
    const bad = [
      [encodeCursor({ key: 'name:desc', value: 'x', id }), 'text'],
      [forge({ key: 'name:asc', value: 'x', id: 'x' }), 'text'],
      [forge({ key: 'name:asc', value: 'a\u0000b', id }), 'text'],
      [forge({ key: 'name:asc', value: null, id }), 'text'],
      [forge({ key: 'name:asc', value: 'yesterday', id }), 'timestamp'],
      ['%%%not-base64', 'text'],
    ] as const;
    for (const [cursor, value] of bad) {
      const err = rejectedWith(() => decodeCursor(cursor, 'name:asc', value));
      expect(err, cursor).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ status: 400, code: 'list.invalid_cursor', errors: [{ path: 'query.cursor' }] });
    }
    expect(decodeCursor(forge({ key: 'k', value: '2026-01-02T03:04:05.678Z', id }), 'k', 'timestamp')?.value).toBe('2026-01-02T03:04:05.678Z');
    expect(rejectedWith(() => decodeCursor(forge({ key: 'k', value: 'a', id }), 'k', (v) => v === 'b'))).toBeInstanceOf(DomainError);
  });
});

describe('the one id check', () => {
  it('accepts uuids in any case and nothing else', () => {
    expect(isUuid(randomUUID())).toBe(true);
    expect(isUuid(randomUUID().toUpperCase())).toBe(true);
    for (const v of ['', 'x', `${randomUUID()}0`, 42, null, undefined]) expect(isUuid(v)).toBe(false);
  });
});

describe('the one SQLSTATE helper', () => {
  const unique = Object.assign(new Error('Failed query'), { cause: { code: '23505', constraint_name: 'contacts_one_primary_idx' } });
  it('reads the code through drizzle wrapping', () => {
    expect(pgErrorCode(unique)).toBe('23505');
    expect(pgErrorCode(new Error('plain'))).toBeUndefined();
    expect(pgErrorCode({ code: 'ECONNREFUSED' })).toBeUndefined();
  });

  it('tells unique violations by constraint, data exceptions and transient failures apart', () => {
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isUniqueViolation(unique, 'contacts_one_primary_idx')).toBe(true);
    expect(isUniqueViolation(unique, 'other_idx')).toBe(false);
    expect(isDataException({ code: '22P02' })).toBe(true);
    expect(isDataException(unique)).toBe(false);
    expect(isTransient({ cause: { code: '40P01' } })).toBe(true);
    expect(isTransient(unique)).toBe(false);
  });
});
