export * from './auth/index.js';
export * from './bus/index.js';
export * from './config/index.js';
export * from './db/index.js';
export * from './http/index.js';
export * from './logging/index.js';
export * from './service/index.js';
