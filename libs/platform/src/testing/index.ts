export * from './service-harness.js';
export * from './tcp-proxy.js';
export * from './test-database.js';
export * from './wait-for.js';
export * from './child-service.js';
export * from './infrastructure.js';
export * from './bus.js';
export * from './routes.js';
