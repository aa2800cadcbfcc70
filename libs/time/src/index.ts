// Dates and times shared by the services and the web app, on Temporal (a polyfill until the
// runtimes ship it). Pure functions only: nothing here may use Node-only APIs.
export * from './calendar-dates.js';
export * from './instants.js';
export * from './time-zones.js';
export * from './zoned.js';
