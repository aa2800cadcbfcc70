import type { EventEnvelope } from '@atelier/contracts';
import type { BusConnection } from '../bus/connection.js';

/** Publishes envelopes (each `times` times, same id) to the namespace's exchange, as a relay would. */
export async function publishEnvelopes(bus: BusConnection, envelopes: EventEnvelope[], times = 1): Promise<void> {
  const ch = await bus.confirmChannel();
  for (let i = 0; i < times; i++) {
    for (const e of envelopes) {
      ch.publish(bus.exchangeName, e.name, Buffer.from(JSON.stringify(e)), { persistent: true, contentType: 'application/json', messageId: e.id });
    }
  }
  await bus.waitForConfirms(ch);
}

/** Ready messages in a queue (its full, namespaced name), by a passive declare on a throwaway channel. */
export async function queueDepth(bus: BusConnection, queue: string): Promise<number> {
  const conn = bus.connection;
  if (!conn) throw new Error('bus not connected');
  const ch = await conn.createChannel();
  try {
    return (await ch.checkQueue(queue)).messageCount;
  } finally {
    await ch.close().catch(() => {});
  }
}
