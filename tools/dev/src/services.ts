import type { ServiceName } from '@atelier/platform';

export interface AppSpec {
  service: ServiceName;
  dir: string;
  entry: string;
  /** Environment variable through which the gateway finds this service. */
  urlVar?: string;
  /** Every consumer queue the app declares: a throwaway platform deletes them (and their retry and dead-letter queues) when it stops, or they pile up on the broker. */
  consumerQueues: string[];
  defaultPort: number;
}

/** Every app of the platform, in start order (services before the gateway that fronts them). */
export const apps: AppSpec[] = [
  { service: 'crm', dir: 'apps/crm-service', entry: 'apps/crm-service/src/main.ts', urlVar: 'CRM_URL', consumerQueues: ['crm.timeline', 'crm.member-names', 'crm.attachment-usage'], defaultPort: 4001 },
  { service: 'projects', dir: 'apps/projects-service', entry: 'apps/projects-service/src/main.ts', urlVar: 'PROJECTS_URL', consumerQueues: ['projects.client-replica', 'projects.member-replica', 'projects.agency-replica', 'projects.billing-lifecycle', 'projects.attachment-usage'], defaultPort: 4002 },
  { service: 'billing', dir: 'apps/billing-service', entry: 'apps/billing-service/src/main.ts', urlVar: 'BILLING_URL', consumerQueues: ['billing.client-replica', 'billing.contact-replica', 'billing.agency-replica', 'billing.member-replica', 'billing.project-replica', 'billing.task-replica', 'billing.time-entry-replica', 'billing.payments-ledger'], defaultPort: 4003 },
  { service: 'payments', dir: 'apps/payments-service', entry: 'apps/payments-service/src/main.ts', urlVar: 'PAYMENTS_URL', consumerQueues: ['payments.invoice-replica'], defaultPort: 4004 },
  { service: 'gateway', dir: 'apps/gateway', entry: 'apps/gateway/src/main.ts', consumerQueues: [], defaultPort: 3000 },
];
