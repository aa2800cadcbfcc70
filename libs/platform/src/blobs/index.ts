export * from './blob-backends.js';
export * from './blob-config.js';
export * from './blob-meter.js';
export * from './blob-store.js';
export * from './blob-tables.js';
export * from './sniff.js';
