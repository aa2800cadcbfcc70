import { getContext, setContext } from 'svelte';
import type { SessionInfo } from '@atelier/contracts';

const KEY = Symbol('atelier.session');

/** A reactive view of the signed-in session, provided by the app shell. */
export interface SessionContext {
  readonly current: SessionInfo;
  /** Re-fetches /api/auth/me. */
  refresh(): Promise<void>;
}

/**
 * The session the gateway wrote into the page (see hooks.server.ts), read once: a later mount of
 * the shell (after logging out and in again) asks /api/auth/me rather than reuse a stale one.
 */
export function takeInlineSession(): SessionInfo | null {
  const element = document.getElementById('atelier-session');
  if (!element) return null;
  element.remove();
  try {
    const session = JSON.parse(element.textContent ?? 'null') as SessionInfo | null;
    return session && typeof session === 'object' && 'user' in session ? session : null;
  } catch {
    return null;
  }
}

export function provideSession(ctx: SessionContext): void {
  setContext(KEY, ctx);
}

export function useSession(): SessionContext {
  const ctx = getContext<SessionContext | undefined>(KEY);
  if (!ctx) throw new Error('useSession() must be called inside the app shell');
  return ctx;
}
