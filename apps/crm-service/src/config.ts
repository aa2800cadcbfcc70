import { loadConfig, serviceEnv } from '@atelier/platform';

export const CrmEnv = serviceEnv('crm', { port: 4001 });
export type CrmConfig = ReturnType<typeof loadCrmConfig>;
export const loadCrmConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(CrmEnv, env);
