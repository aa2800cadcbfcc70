// Usage: tsx migrate-cli.ts <service> <migrations folder>; connects as DATABASE_OWNER_URL (the schema owner role).
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { migrateService } from './migrate.js';
import { SERVICE_SCHEMAS, schemaOwnerRole, type ServiceName } from './roles.js';

const [service, folder] = process.argv.slice(2);
if (!service || !Object.hasOwn(SERVICE_SCHEMAS, service) || !folder) {
  process.stderr.write(`usage: migrate-cli <${Object.keys(SERVICE_SCHEMAS).join('|')}> <migrations folder>\n`);
  process.exit(2);
}
const owner = schemaOwnerRole(service as ServiceName);
const env = loadConfig(z.object({ DATABASE_OWNER_URL: z.url().default(`postgres://${owner}:${owner}@127.0.0.1:5432/atelier`) }));
await migrateService(env.DATABASE_OWNER_URL, service as ServiceName, path.resolve(folder));
process.stdout.write(`${service}: migrations applied\n`);
