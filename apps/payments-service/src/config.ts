import { loadConfig, serviceEnv } from '@atelier/platform';

export const PaymentsEnv = serviceEnv('payments', { port: 4004 });
export type PaymentsConfig = ReturnType<typeof loadPaymentsConfig>;
export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(PaymentsEnv, env);
