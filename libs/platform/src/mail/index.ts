export * from './mail-config.js';
export * from './mail-message.js';
export * from './mailer.js';
export * from './mail-job.js';
