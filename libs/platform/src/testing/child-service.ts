import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { EVENTS_EXCHANGE } from '../bus/connection.js';
import { deadLetterQueueName, retryQueueName } from '../bus/consumer.js';
import { purgeBusNamespace } from './bus-purge.js';
import { waitFor } from './wait-for.js';

export const repoRoot = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

/** A port that was free a moment ago (for child processes that must be told their port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ChildService {
  name: string;
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs `entry` (a .ts file relative to the repo root) with tsx and waits until `/healthz` answers. */
export async function spawnService(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  onOutput?: (chunk: string) => void,
): Promise<ChildService> {
  const port = Number(env.PORT) || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // ATELIER_CPU_PROF_DIR=/tmp/prof writes a V8 CPU profile of every service to that folder at exit
  // (Node refuses --cpu-prof in NODE_OPTIONS, so it has to be an argument).
  const profile = process.env.ATELIER_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ATELIER_CPU_PROF_DIR}`] : [];
  // Node itself with tsx as a loader, not the tsx command: that is a wrapper process, and killing
  // it left the service running (holding its broker connection and database pool) when a start
  // timed out.
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env, PORT: String(port), HOST: env.HOST ?? '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
    onOutput?.(chunk.toString());
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok ? true : undefined;
    }, timeoutMs, 100);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(err as Error).message}\n${log}`);
  }
  return {
    name,
    url,
    process: child,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Deletes a namespace's exchange and every queue of it: the named consumers' (with their retry and dead-letter queues) and any other. */
export async function deleteBusNamespace(amqpUrl: string, namespace: string, consumerQueues: string[], retryDelaysMs: number[]): Promise<void> {
  if (!namespace) throw new Error('refusing to delete the default namespace');
  const conn = await amqp.connect(amqpUrl, { timeout: 10_000 });
  try {
    const ch = await conn.createChannel();
    for (const q of consumerQueues) {
      const queue = `${namespace}${q}`;
      for (const name of [queue, deadLetterQueueName(queue), ...retryDelaysMs.map((d) => retryQueueName(queue, d))]) await ch.deleteQueue(name);
    }
    await ch.deleteExchange(`${namespace}${EVENTS_EXCHANGE}`);
    await ch.close();
  } finally {
    await conn.close();
  }
  // Also whatever the list above missed (a consumer added later), where the management API answers.
  await purgeBusNamespace(amqpUrl, namespace);
}
