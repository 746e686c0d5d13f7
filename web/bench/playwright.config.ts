// The browser benchmark (bench.spec.ts): our SDK against rrweb's recorder on the customer's page,
// with the real `cobrowse` binary (target/debug/cobrowse, or $COBROWSE_BIN) and the Debian chromium
// ($CHROMIUM_PATH); no browser download. scripts/bench.sh runs it and writes docs/benchmarks.md.
//
//   cd web && npx playwright test -c bench/playwright.config.ts      every benchmark
//   BENCH_SMOKE=1 npx playwright test -c bench/playwright.config.ts  seconds: one small page, one run each
//   BENCH_REPORT=../docs/benchmarks.md …                            write the report afterwards
//
// Results: web/bench-results/ (ignored by git).

import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: ['bench.spec.ts', 'replay.spec.ts'],
  outputDir: '../bench-results/test-output',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // One worker: timings on a shared two-core machine; the tests run one after the other.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 600_000,
  // A page of 150,000 nodes takes seconds to lay out before the toolbar shows.
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 120_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
});
