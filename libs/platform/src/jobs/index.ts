export * from './cadence.js';
export * from './job-definitions.js';
export * from './job-runner.js';
export * from './job-tables.js';
export * from './retry-delay.js';
export * from './housekeeping.js';
