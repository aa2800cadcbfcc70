import amqp from 'amqplib';
import postgres from 'postgres';
import type { EventEnvelope } from '@atelier/contracts';
import { EVENTS_EXCHANGE } from '@atelier/platform';
import {
  createTestDatabase,
  deleteBusNamespace,
  startTestSmtp,
  TEST_AMQP_URL,
  TEST_RETRY_DELAYS_MS,
  testNamespace,
  type TestDatabase,
  type TestSmtp,
} from '@atelier/platform/testing';
import type { Gateway } from '../src/gateway.js';
import { migrations, startGateway } from './gateway-harness.js';

export interface IdentityStack {
  db: TestDatabase;
  /** Superuser connection to the test database, for arranging what no route can (an expired link). */
  admin: postgres.Sql;
  smtp: TestSmtp;
  gateway: Gateway;
  url: string;
  /** Another gateway replica on the same database and bus namespace. */
  replica(overrides?: Record<string, string>): Promise<Gateway>;
  /** Every identity event the gateways publish, as the broker delivers them. */
  events: EventEnvelope[];
  stop(): Promise<void>;
}

/** The gateway alone (no upstream services): identity tests need nothing else. */
export async function startIdentityStack(overrides: Record<string, string> = {}, options: { smtpUrl?: (smtp: TestSmtp) => Promise<string> } = {}): Promise<IdentityStack> {
  const db = await createTestDatabase({ gateway: migrations('gateway') });
  const namespace = testNamespace();
  const smtp = await startTestSmtp();
  const env = { SMTP_URL: options.smtpUrl ? await options.smtpUrl(smtp) : smtp.url, CRM_URL: 'http://127.0.0.1:9', JOBS_POLL_MS: '100', ...overrides };
  const events: EventEnvelope[] = [];
  const connection = await amqp.connect(TEST_AMQP_URL);
  const channel = await connection.createChannel();
  const exchange = `${namespace}${EVENTS_EXCHANGE}`;
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, 'identity.#');
  await channel.consume(queue, (msg) => {
    if (msg) events.push(JSON.parse(msg.content.toString()) as EventEnvelope);
  }, { noAck: true });
  const gateway = await startGateway(db, namespace, env);
  const replicas: Gateway[] = [gateway];
  const admin = postgres(db.adminUrl, { max: 2, onnotice: () => {} });
  return {
    db,
    admin,
    smtp,
    gateway,
    url: gateway.server!.url,
    events,
    async replica(extra = {}) {
      const g = await startGateway(db, namespace, { ...env, ...extra });
      replicas.push(g);
      return g;
    },
    async stop() {
      for (const g of replicas) await g.stop();
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
      await deleteBusNamespace(TEST_AMQP_URL, namespace, [], TEST_RETRY_DELAYS_MS);
      await admin.end();
      await smtp.stop();
      await db.drop();
    },
  };
}
