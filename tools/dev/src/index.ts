export * from './platform.js';
export * from './seed.js';
export * from './services.js';
