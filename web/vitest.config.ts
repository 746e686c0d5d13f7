import { defineConfig } from 'vitest/config';

// Unit tests of every package: `npx vitest run` from web/. Tests import `src`, never `dist`.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    environment: 'jsdom',
    pool: 'threads',
    testTimeout: 30_000,
  },
});
