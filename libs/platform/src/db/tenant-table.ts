import { sql } from 'drizzle-orm';
import { pgPolicy, uuid } from 'drizzle-orm/pg-core';

/** The agency of a row; every tenant table has it, and an index that starts with it. */
export const agencyId = () => uuid('agency_id').notNull();

const currentAgency = sql`agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)`;

/**
 * Row-level security for a tenant table: rows are visible and writable only inside a transaction
 * whose `app.agency_id` names their agency. The sub-select makes Postgres evaluate the setting once
 * per statement instead of once per row. FORCE is applied by the migrate step (drizzle-kit cannot).
 */
export const tenantPolicy = () =>
  pgPolicy('tenant_isolation', { as: 'permissive', for: 'all', using: currentAgency, withCheck: currentAgency });
