import { attachmentOwner } from '@atelier/contracts';
import type { GatewayConfig } from '../config.js';

export interface Upstream {
  name: 'crm' | 'projects' | 'billing' | 'payments';
  url: string;
}

interface RouteRule {
  /** Path prefix; matches the prefix itself, `prefix/…`, `prefix.…` and `prefix?…`. */
  prefix: string;
  /** Narrower than the prefix: the whole path must match (for a route inside another's prefix). */
  pattern?: RegExp;
  upstream: Upstream['name'];
  /**
   * Public routes (`/api/public/*`, `/webhooks/*`) reach the service without a session, with the
   * system principal in the internal token. Bodies are streamed untouched on every route, so a
   * webhook's signature over its raw body verifies at the service.
   */
  public?: boolean;
  /**
   * On a public route: forward the caller's session, when there is one, instead of the system
   * principal (the public invoice page tells a staff preview from the client's view by it).
   */
  forwardSession?: boolean;
  methods?: string[];
  /** Decides the upstream from the path itself (instead of `upstream`); null: no service owns it (404). */
  pick?: (path: string) => Upstream['name'] | null;
}

/**
 * `/api/attachments/:id…` belongs to the service that owns the attachment, which its id names
 * (a UUIDv8 with an owner digit, `attachmentOwner`): no lookup, nothing to keep in sync.
 */
const attachmentUpstream = (path: string): Upstream['name'] | null => {
  const id = path.split('/')[3];
  return id ? attachmentOwner(id) : null;
};

/** Which service owns which public path. Anything else under /api is the gateway's own or a 404. */
export const routingTable: RouteRule[] = [
  { prefix: '/api/clients', upstream: 'crm' },
  { prefix: '/api/contacts', upstream: 'crm' },
  { prefix: '/api/notes', upstream: 'crm' },
  { prefix: '/api/timeline', upstream: 'crm' },
  { prefix: '/api/search', upstream: 'crm' },
  { prefix: '/api/imports', upstream: 'crm' },
  { prefix: '/api/exports', upstream: 'crm' },
  { prefix: '/api/attachments', upstream: 'crm', pick: attachmentUpstream },
  { prefix: '/api/projects', upstream: 'projects' },
  { prefix: '/api/tasks', upstream: 'projects' },
  { prefix: '/api/time-entries', upstream: 'projects' },
  { prefix: '/api/timers', upstream: 'projects' },
  { prefix: '/api/timesheet', upstream: 'projects' },
  { prefix: '/api/rates', upstream: 'projects' },
  { prefix: '/api/settings/time', upstream: 'projects' },
  { prefix: '/api/invoices', upstream: 'billing' },
  { prefix: '/api/settings/invoicing', upstream: 'billing' },
  { prefix: '/api/payments', upstream: 'payments' },
  { prefix: '/api/public/invoices', pattern: /^\/api\/public\/invoices\/[^/]+\/checkout$/, upstream: 'payments', public: true, methods: ['POST'] },
  { prefix: '/api/public/invoices', upstream: 'billing', public: true, forwardSession: true },
  { prefix: '/webhooks/stripe', upstream: 'payments', public: true, methods: ['POST'] },
];

export function upstreams(config: GatewayConfig): Record<Upstream['name'], string> {
  return { crm: config.CRM_URL, projects: config.PROJECTS_URL, billing: config.BILLING_URL, payments: config.PAYMENTS_URL };
}

export function matchRoute(path: string, method: string): RouteRule | undefined {
  const rule = routingTable.find(
    (r) =>
      (path === r.prefix || path.startsWith(`${r.prefix}/`) || path.startsWith(`${r.prefix}.`)) &&
      (!r.pattern || r.pattern.test(path)) &&
      (!r.methods || r.methods.includes(method)),
  );
  if (!rule?.pick) return rule;
  const upstream = rule.pick(path);
  return upstream ? { ...rule, upstream } : undefined;
}
