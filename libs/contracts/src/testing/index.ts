export * from './client-events.js';
export * from './replica-events.js';
