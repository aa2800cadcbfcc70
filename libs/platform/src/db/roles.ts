/** Each service owns one schema and connects as its own login role; migrations run as the schema's owner role. */
export const SERVICE_SCHEMAS = {
  gateway: 'identity',
  crm: 'crm',
  projects: 'projects',
  billing: 'billing',
  payments: 'payments',
} as const;
export type ServiceName = keyof typeof SERVICE_SCHEMAS;

/** The login role a service runs as: DML on its own schema, subject to row-level security. */
export const serviceRole = (service: ServiceName) => `atelier_${service}`;

/**
 * The role that owns a service's schema and everything in it (tables, functions, types), and runs
 * its migrations. It holds no right outside that schema, so the schema's SECURITY DEFINER
 * functions, which run as this role, can never read another service's data.
 */
export const schemaOwnerRole = (service: ServiceName) => `atelier_${service}_owner`;

/** Connection URL of `role` on `database`, keeping host and port of `base`. Dev passwords equal the role name. */
export function roleUrl(base: string, role: string, database?: string): string {
  const url = new URL(base);
  url.username = role;
  url.password = role;
  if (database) url.pathname = `/${database}`;
  return url.toString();
}

/** `base` (the admin URL) pointed at `database`, same user. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}
