import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // checks once whether PostgreSQL can be reached (test/storage/pg.ts)
    globalSetup: ['test/storage/pg-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
