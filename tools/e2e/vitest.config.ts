import { defineConfig } from 'vitest/config';

// Browser tests: the whole platform in child processes, driven through real Chromium.
export default defineConfig({
  test: {
    include: ['tools/e2e/test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/e2e.json' }]],
    globalSetup: ['tools/dev/src/test-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
