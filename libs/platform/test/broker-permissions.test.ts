import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerUrlFor, ensureBrokerUsers, EVENTS_EXCHANGE } from '../src/index.js';
import { TEST_AMQP_URL, testNamespace } from '../src/testing/index.js';

/**
 * The broker enforces who may publish which events: each service's user may publish to the events
 * exchange only routing keys of its own events. Needs the management API (`.ci/run` and
 * docker-compose enable it); without it this suite fails, since nothing would prove the rule.
 */
const namespace = testNamespace();
const exchange = `${namespace}${EVENTS_EXCHANGE}`;
let admin: amqp.ChannelModel;

beforeAll(async () => {
  expect(await ensureBrokerUsers(TEST_AMQP_URL, { namespace }), 'the RabbitMQ management API (rabbitmq-plugins enable rabbitmq_management) must answer on port 15672').toBe(true);
  admin = await amqp.connect(TEST_AMQP_URL);
  const ch = await admin.createChannel();
  await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
  await ch.close();
});

afterAll(async () => {
  const ch = await admin.createChannel();
  await ch.deleteExchange(exchange);
  await ch.close();
  await admin.close();
});

/** Publishes one confirmed message as `service`'s broker user: 'ok', or the broker's refusal. */
async function publishAs(service: 'crm' | 'gateway' | 'billing', routingKey: string): Promise<string> {
  const conn = await amqp.connect(brokerUrlFor(TEST_AMQP_URL, service));
  conn.on('error', () => {});
  try {
    const ch = await conn.createConfirmChannel();
    const closed = new Promise<string>((resolve) => ch.on('error', (err: Error) => resolve(err.message)));
    const confirmed = new Promise<string>((resolve) => ch.publish(exchange, routingKey, Buffer.from('{}'), {}, (err) => resolve(err ? `nack: ${String(err)}` : 'ok')));
    return await Promise.race([confirmed, closed]);
  } finally {
    await conn.close().catch(() => {});
  }
}

describe('broker permissions per service', () => {
  it('let a service publish its own events', async () => {
    expect(await publishAs('crm', 'crm.client.created.v1')).toBe('ok');
    expect(await publishAs('billing', 'billing.invoice.paid.v1')).toBe('ok');
    expect(await publishAs('gateway', 'identity.member.joined.v1')).toBe('ok');
  });

  it("refuse another service's events: crm cannot publish billing.invoice.paid.v1", async () => {
    expect(await publishAs('crm', 'billing.invoice.paid.v1')).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs('crm', 'identity.member.joined.v1')).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs('gateway', 'crm.client.created.v1')).toMatch(/ACCESS_REFUSED/);
    // A prefix is a whole first word: "crmx." is not crm's.
    expect(await publishAs('crm', 'crmx.client.created.v1')).toMatch(/ACCESS_REFUSED/);
  });
});
