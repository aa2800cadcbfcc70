import { loadConfig, serviceEnv } from '@atelier/platform';

export const BillingEnv = serviceEnv('billing', { port: 4003 });
export type BillingConfig = ReturnType<typeof loadBillingConfig>;
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(BillingEnv, env);
