import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests start real PostgreSQL clusters and real shells: two cores, so keep
    // the worker count small and predictable.
    maxWorkers: 2,
    // Each test file gets its own machine-wide run lock folder: unrelated tests' runbooks share names (rb.md).
    setupFiles: ['test/helpers/lock-dir.ts'],
  },
});
