export * from './bootstrap.js';
export * from './database.js';
export * from './messaging-tables.js';
export * from './migrate.js';
export * from './roles.js';
export * from './tenant-table.js';
