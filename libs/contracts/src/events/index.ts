import type { z } from 'zod';
import { crmEvents } from './crm.js';

export * from './crm.js';

/** Every event name the platform knows, with the schema of its payload. */
export const eventPayloads = { ...crmEvents } as const;
export type EventName = keyof typeof eventPayloads;
export type EventPayload<N extends EventName> = z.infer<(typeof eventPayloads)[N]>;
