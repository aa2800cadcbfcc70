export * from './service-harness.js';
export * from './test-database.js';
export * from './wait-for.js';
