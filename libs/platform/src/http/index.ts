export * from './create-app.js';
export * from './errors.js';
export * from './pagination.js';
export * from './path-guard.js';
export * from './security-headers.js';
export * from './serve.js';
export * from './validate.js';
