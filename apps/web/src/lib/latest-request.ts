/**
 * Keeps one request in flight: starting a new one aborts the one before, so a slow answer
 * to an older query never overwrites a newer one.
 */
export function latestRequest() {
  let controller: AbortController | null = null;
  return {
    /** Aborts the request in flight, if any, and returns the signal for a new one. */
    start(): AbortSignal {
      controller?.abort();
      controller = new AbortController();
      return controller.signal;
    },
    /** Call when the request with `signal` settles: true when it is still the latest one. */
    finish(signal: AbortSignal): boolean {
      if (controller?.signal !== signal) return false;
      controller = null;
      return true;
    },
    /** Aborts the request in flight, if any (on destroy). */
    abort(): void {
      controller?.abort();
    },
  };
}
