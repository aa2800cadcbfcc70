import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { purgeBusNames } from './bus-purge.js';
import { testRunPrefix } from './test-database.js';

const reachable = (host: string, port: number, timeoutMs = 1_000) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

const dockerAvailable = () => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
};

/**
 * Vitest global setup: tests use the Postgres and RabbitMQ named by DATABASE_ADMIN_URL and
 * AMQP_URL (the local ones by default). When those are unreachable and a Docker engine is there,
 * it starts the same services with testcontainers and points the tests at them.
 */
export async function setupTestInfrastructure(): Promise<() => Promise<void>> {
  const pg = new URL(process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const mq = new URL(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const pgUp = await reachable(pg.hostname, Number(pg.port || 5432));
  const mqUp = await reachable(mq.hostname, Number(mq.port || 5672));
  // Workers inherit the run's prefix, so every namespace of this run can be removed at the end.
  const run = testRunPrefix();
  const purgeRun = async () => void (await purgeBusNames(process.env.AMQP_URL ?? mq.toString(), (name) => name.startsWith(`t${run}`)).catch(() => null));
  if (pgUp && mqUp) return purgeRun;
  if (!dockerAvailable()) {
    throw new Error(
      `Tests need PostgreSQL (${pg.host}: ${pgUp ? 'up' : 'down'}) and RabbitMQ (${mq.host}: ${mqUp ? 'up' : 'down'}), and no Docker engine is available to start them. Start them (see README) or set DATABASE_ADMIN_URL / AMQP_URL.`,
    );
  }
  const stops: (() => Promise<unknown>)[] = [];
  if (!pgUp) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
    process.env.DATABASE_ADMIN_URL = container.getConnectionUri();
    stops.push(() => container.stop());
  }
  if (!mqUp) {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const container = await new RabbitMQContainer('rabbitmq:3.13-management-alpine').start();
    process.env.AMQP_URL = container.getAmqpUrl();
    // Tests that make the broker close a connection use its management API (see broker-admin.ts).
    process.env.RABBITMQ_MANAGEMENT_URL = `http://guest:guest@${container.getHost()}:${container.getMappedPort(15672)}`;
    stops.push(() => container.stop());
  }
  return async () => {
    await purgeRun();
    for (const stop of stops) await stop();
  };
}
