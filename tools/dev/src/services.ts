import type { ServiceName } from '@atelier/platform';

export interface AppSpec {
  service: ServiceName;
  dir: string;
  entry: string;
  /** Environment variable through which the gateway finds this service. */
  urlVar?: string;
  consumerQueues: string[];
  defaultPort: number;
}

/** Every app of the platform, in start order (services before the gateway that fronts them). */
export const apps: AppSpec[] = [
  { service: 'crm', dir: 'apps/crm-service', entry: 'apps/crm-service/src/main.ts', urlVar: 'CRM_URL', consumerQueues: ['crm.timeline'], defaultPort: 4001 },
  { service: 'projects', dir: 'apps/projects-service', entry: 'apps/projects-service/src/main.ts', urlVar: 'PROJECTS_URL', consumerQueues: ['projects.client-replica'], defaultPort: 4002 },
  { service: 'billing', dir: 'apps/billing-service', entry: 'apps/billing-service/src/main.ts', urlVar: 'BILLING_URL', consumerQueues: ['billing.client-replica'], defaultPort: 4003 },
  { service: 'payments', dir: 'apps/payments-service', entry: 'apps/payments-service/src/main.ts', urlVar: 'PAYMENTS_URL', consumerQueues: [], defaultPort: 4004 },
  { service: 'gateway', dir: 'apps/gateway', entry: 'apps/gateway/src/main.ts', consumerQueues: [], defaultPort: 3000 },
];
