import { defineConfig } from 'vitest/config';

/**
 * Two tiers, one config (so `npx vitest run <file>` works for either):
 * - unit: `*.unit.test.ts`, pure logic, no Postgres or RabbitMQ, no global setup; seconds.
 * - integration: every other test under apps/libs/tools, on real Postgres and RabbitMQ.
 * Browser tests have their own config (tools/e2e/vitest.config.ts).
 */
const roots = ['apps/*/test/**/', 'libs/*/test/**/', 'tools/*/test/**/'];
const unitTests = roots.map((r) => `${r}*.unit.test.ts`);
const exclude = ['**/node_modules/**', 'tools/e2e/**'];

export default defineConfig({
  test: {
    // Each tier's npm script names its own JSON file (test-results/unit.json, integration.json);
    // .ci/run sums every JSON report it finds there.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // The integration tier's forks (the machine has two cores; each fork runs a service in-process).
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    coverage: {
      provider: 'v8',
      include: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
      exclude: ['apps/web/**', '**/testing/**', '**/main.ts', '**/*-cli.ts'],
      reporter: ['text-summary', 'json-summary', 'text'],
      reportsDirectory: 'test-results/coverage',
      reportOnFailure: true,
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: unitTests,
          exclude,
          globalSetup: ['tools/dev/src/unit-global-setup.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: roots.map((r) => `${r}*.test.ts`),
          exclude: [...exclude, ...unitTests],
          globalSetup: ['tools/dev/src/test-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
