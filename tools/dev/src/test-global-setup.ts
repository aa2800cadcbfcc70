import { setupTestInfrastructure } from '@atelier/platform/testing';

/** Vitest global setup shared by the unit/integration and browser suites. */
export default async function globalSetup() {
  return setupTestInfrastructure();
}
