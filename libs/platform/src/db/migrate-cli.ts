// Usage: tsx migrate-cli.ts <service> <migrations folder>; connects as DATABASE_OWNER_URL.
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import { migrateService } from './migrate.js';
import { SERVICE_SCHEMAS, type ServiceName } from './roles.js';

const [service, folder] = process.argv.slice(2);
if (!service || !(service in SERVICE_SCHEMAS) || !folder) {
  process.stderr.write(`usage: migrate-cli <${Object.keys(SERVICE_SCHEMAS).join('|')}> <migrations folder>\n`);
  process.exit(2);
}
const env = loadConfig(z.object({ DATABASE_OWNER_URL: z.url().default('postgres://atelier_owner:atelier_owner@127.0.0.1:5432/atelier') }));
await migrateService(env.DATABASE_OWNER_URL, service as ServiceName, path.resolve(folder));
process.stdout.write(`${service}: migrations applied\n`);
