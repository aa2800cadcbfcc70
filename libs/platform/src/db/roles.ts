/** Each service owns one schema and connects as its own login role; migrations run as the owner role. */
export const SERVICE_SCHEMAS = {
  gateway: 'identity',
  crm: 'crm',
  projects: 'projects',
  billing: 'billing',
  payments: 'payments',
} as const;
export type ServiceName = keyof typeof SERVICE_SCHEMAS;

export const OWNER_ROLE = 'atelier_owner';
export const serviceRole = (service: ServiceName) => `atelier_${service}`;

/** Connection URL of `role` on `database`, keeping host and port of `base`. Dev passwords equal the role name. */
export function roleUrl(base: string, role: string, database?: string): string {
  const url = new URL(base);
  url.username = role;
  url.password = role;
  if (database) url.pathname = `/${database}`;
  return url.toString();
}
