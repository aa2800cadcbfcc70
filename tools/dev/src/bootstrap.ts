// `npm run db:bootstrap`: database, roles, schemas and every migration, without starting anything.
import { z } from 'zod';
import { loadConfig } from '@atelier/platform';
import { prepareDatabase } from './platform.js';

const env = loadConfig(
  z.object({
    DATABASE_ADMIN_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('atelier'),
  }),
);
await prepareDatabase(env.DATABASE_ADMIN_URL, env.DATABASE_NAME);
process.stdout.write(`database "${env.DATABASE_NAME}" bootstrapped and migrated\n`);
