import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export interface LogContext {
  requestId?: string;
  agencyId?: string;
}

/** Carries the request id and agency id to every log line written while handling a request or event. */
export const logContext = new AsyncLocalStorage<LogContext>();

export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const ctx = logContext.getStore();
      return ctx ? { requestId: ctx.requestId, agencyId: ctx.agencyId } : {};
    },
  });
}

export type { Logger };
