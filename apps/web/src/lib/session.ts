import { getContext, setContext } from 'svelte';
import type { SessionInfo } from './types';

const KEY = Symbol('atelier.session');

/** A reactive view of the signed-in session, provided by the app shell. */
export interface SessionContext {
  readonly current: SessionInfo;
  /** Re-fetches /api/auth/me. */
  refresh(): Promise<void>;
}

export function provideSession(ctx: SessionContext): void {
  setContext(KEY, ctx);
}

export function useSession(): SessionContext {
  const ctx = getContext<SessionContext | undefined>(KEY);
  if (!ctx) throw new Error('useSession() must be called inside the app shell');
  return ctx;
}
