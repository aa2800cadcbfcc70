export * from './replica-consumer.js';
export * from './resync.js';
export * from './resync-cli.js';
export * from './member-row-id.js';
