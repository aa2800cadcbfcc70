import { purgeBusNames, THROWAWAY_NAMESPACE } from '@atelier/platform/testing';

/**
 * Removes the queues and exchanges that killed test and benchmark runs left on the broker (their
 * namespaces are throwaway by name). Run it only when no tests run against this broker: CI does,
 * before the suite, so leftovers of earlier runs cannot slow the broker down or wedge it.
 */
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const removed = await purgeBusNames(amqpUrl, (name) => THROWAWAY_NAMESPACE.test(name));
console.log(removed === null ? 'bus purge: the RabbitMQ management API does not answer; nothing removed' : `bus purge: removed ${removed} leftover test queues and exchanges`);
