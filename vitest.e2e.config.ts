import { defineConfig } from 'vitest/config';

// End-to-end tests (`npm run test:e2e`): headless Chromium against the demo, one file at a
// time so two browsers never compete for the machine's cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
