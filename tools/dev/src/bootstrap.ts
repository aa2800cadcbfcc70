// `npm run db:bootstrap`: database, roles, schemas and every migration, and the broker's
// per-service users where its management API answers, without starting anything.
import { z } from 'zod';
import { ensureBrokerUsers, loadConfig, localAdminUrl } from '@atelier/platform';
import { prepareDatabase } from './platform.js';

const env = loadConfig(
  z.object({
    DATABASE_ADMIN_URL: z.url().default(localAdminUrl()),
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('atelier'),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
  }),
);
await prepareDatabase(env.DATABASE_ADMIN_URL, env.DATABASE_NAME);
process.stdout.write(`database "${env.DATABASE_NAME}" bootstrapped and migrated\n`);
const brokerUsers = await ensureBrokerUsers(env.AMQP_URL);
process.stdout.write(brokerUsers ? 'broker users created, one per service\n' : 'RabbitMQ management API not reachable: services use the AMQP_URL user\n');
