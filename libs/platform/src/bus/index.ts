export * from './connection.js';
export * from './broker-users.js';
export * from './consumer.js';
export * from './outbox-writer.js';
export * from './relay.js';
