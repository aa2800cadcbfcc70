export * from './client-events.js';
