export * from './common.js';
export * from './envelope.js';
export * from './events/index.js';
export * from './http/clients.js';
export * from './http/identity.js';
export * from './http/timeline.js';
export * from './openapi/routes.js';
export * from './openapi/document.js';
