export * from './guards.js';
export * from './internal-token.js';
