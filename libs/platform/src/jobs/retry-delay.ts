/** Exponential back-off between attempts of a failing job. */
export interface Backoff {
  /** Delay before the second attempt. */
  baseMs: number;
  /** No delay grows past this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 60 * 60 * 1000 };

/** The delay after failed attempt number `attempt` (1-based): base, 2×base, 4×base … capped at max. */
export const retryDelayMs = (attempt: number, backoff: Backoff): number => Math.min(backoff.baseMs * 2 ** Math.max(attempt - 1, 0), backoff.maxMs);
