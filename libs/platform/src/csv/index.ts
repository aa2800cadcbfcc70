export * from './csv-cells.js';
export * from './csv-stream.js';
