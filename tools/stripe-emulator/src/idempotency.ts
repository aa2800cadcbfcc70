import { idempotencyError } from './errors.js';

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  response?: SavedResponse;
  savedAt: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Parameters in a canonical form, so key order does not make two requests differ. */
export function fingerprint(method: string, path: string, params: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify([method, path, canonical(params)]);
}

/**
 * Stripe's idempotency: the first result for a key is saved for 24 hours and replayed; the
 * same key with other parameters is refused (400); a key whose first request is still running
 * gets a 409. Results of requests refused before they ran (validation) are not saved.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  begin(scope: string, key: string, print: string): SavedResponse | undefined {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (entry && Date.now() - entry.savedAt > DAY_MS) this.entries.delete(id);
    const live = this.entries.get(id);
    if (!live) {
      this.entries.set(id, { fingerprint: print, savedAt: Date.now() });
      return undefined;
    }
    if (live.fingerprint !== print) {
      throw idempotencyError(`Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
    }
    if (!live.response) {
      throw idempotencyError('There is currently another in-progress request using this Stripe API key (that in turn used the same idempotency key). Please try your request again in a few seconds.', 409);
    }
    return live.response;
  }

  finish(scope: string, key: string, response: SavedResponse | undefined): void {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) return;
    if (response) entry.response = response;
    else this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
