export * from './axe.js';
export * from './browser.js';
export * from './crm.js';
export * from './stack.js';
export * from './milestone-flow.js';
