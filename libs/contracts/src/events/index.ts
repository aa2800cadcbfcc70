import type { z } from 'zod';
import { attachmentEvents } from './attachments.js';
import { billingEvents } from './billing.js';
import { crmEvents } from './crm.js';
import { identityEvents } from './identity.js';
import { paymentsEvents } from './payments.js';
import { projectsEvents } from './projects.js';

export * from './attachments.js';
export * from './billing.js';
export * from './crm.js';
export * from './crm-snapshots.js';
export * from './identity.js';
export * from './identity-snapshots.js';
export * from './payments.js';
export * from './projects.js';
export * from './projects-snapshots.js';
export * from './snapshots.js';

/** Every event name the platform knows, with the schema of its payload. */
export const eventPayloads = { ...identityEvents, ...crmEvents, ...projectsEvents, ...billingEvents, ...paymentsEvents, ...attachmentEvents } as const;
export type EventName = keyof typeof eventPayloads;
export type EventPayload<N extends EventName> = z.infer<(typeof eventPayloads)[N]>;
