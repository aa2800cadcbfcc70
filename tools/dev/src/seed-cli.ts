// Seeds the demo agency into a running platform (docker-compose's `seed` service).
import { z } from 'zod';
import { loadConfig } from '@atelier/platform';
import { waitFor } from '@atelier/platform/testing';
import { DEMO, seedDemo } from './seed.js';

const { GATEWAY_URL } = loadConfig(z.object({ GATEWAY_URL: z.url().default('http://localhost:3000') }));
await waitFor(async () => ((await fetch(`${GATEWAY_URL}/healthz`).catch(() => null))?.ok ? true : undefined), 120_000, 1_000);
const result = await seedDemo(GATEWAY_URL, 'http://localhost:3000');
process.stdout.write(`demo agency ${result}; log in at http://localhost:3000 as ${DEMO.email} / ${DEMO.password}\n`);
