// `npm start`: database, migrations, web build, every service and the gateway, demo data.
import { z } from 'zod';
import { loadConfig } from '@atelier/platform';
import { buildWebIfStale, prepareDatabase, startPlatform } from './platform.js';
import { DEMO, seedDemo } from './seed.js';

const env = loadConfig(
  z.object({
    DATABASE_ADMIN_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('atelier'),
    AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
    PORT: z.coerce.number().int().default(3000),
    LOG_LEVEL: z.string().default('info'),
    PUBLIC_ORIGIN: z.string().optional(),
  }),
);
const say = (line: string) => process.stdout.write(`[atelier] ${line}\n`);

say(`preparing database "${env.DATABASE_NAME}"…`);
await prepareDatabase(env.DATABASE_ADMIN_URL, env.DATABASE_NAME);
await buildWebIfStale(say);
const platform = await startPlatform({
  adminUrl: env.DATABASE_ADMIN_URL,
  database: env.DATABASE_NAME,
  amqpUrl: env.AMQP_URL,
  gatewayPort: env.PORT,
  servicePorts: 'default',
  publicOrigin: env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT},http://127.0.0.1:${env.PORT}`,
  logLevel: env.LOG_LEVEL,
  log: say,
  onOutput: (service, chunk) => {
    for (const line of chunk.split('\n')) if (line.trim()) process.stdout.write(`[${service}] ${line}\n`);
  },
});
const seeded = await seedDemo(platform.url);
say(`demo agency ${seeded === 'created' ? 'created' : 'already there'}`);
say('');
say(`Atelier is running at http://localhost:${env.PORT}`);
say(`Log in as ${DEMO.email} / ${DEMO.password}`);
say('Press Ctrl-C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
