import { defineConfig } from 'vitest/config';

// Browser tests: the whole platform in child processes, driven through real Chromium.
export default defineConfig({
  test: {
    include: ['tools/e2e/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
