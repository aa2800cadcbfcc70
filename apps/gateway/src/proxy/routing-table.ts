import type { GatewayConfig } from '../config.js';

export interface Upstream {
  name: 'crm' | 'projects' | 'billing' | 'payments';
  url: string;
}

interface RouteRule {
  /** Path prefix; matches the prefix itself, `prefix/…`, `prefix.…` and `prefix?…`. */
  prefix: string;
  upstream: Upstream['name'];
  /** Public routes reach the service without a session (signature-checked webhooks). */
  public?: boolean;
  methods?: string[];
}

/** Which service owns which public path. Anything else under /api is the gateway's own or a 404. */
export const routingTable: RouteRule[] = [
  { prefix: '/api/clients', upstream: 'crm' },
  { prefix: '/api/contacts', upstream: 'crm' },
  { prefix: '/api/notes', upstream: 'crm' },
  { prefix: '/api/timeline', upstream: 'crm' },
  { prefix: '/api/search', upstream: 'crm' },
  { prefix: '/api/imports', upstream: 'crm' },
  { prefix: '/api/exports', upstream: 'crm' },
  { prefix: '/api/projects', upstream: 'projects' },
  { prefix: '/api/tasks', upstream: 'projects' },
  { prefix: '/api/time-entries', upstream: 'projects' },
  { prefix: '/api/timers', upstream: 'projects' },
  { prefix: '/api/invoices', upstream: 'billing' },
  { prefix: '/api/payments', upstream: 'payments' },
  { prefix: '/webhooks/stripe', upstream: 'payments', public: true, methods: ['POST'] },
];

export function upstreams(config: GatewayConfig): Record<Upstream['name'], string> {
  return { crm: config.CRM_URL, projects: config.PROJECTS_URL, billing: config.BILLING_URL, payments: config.PAYMENTS_URL };
}

export function matchRoute(path: string, method: string): RouteRule | undefined {
  return routingTable.find(
    (r) => (path === r.prefix || path.startsWith(`${r.prefix}/`) || path.startsWith(`${r.prefix}.`)) && (!r.methods || r.methods.includes(method)),
  );
}
