// The fidelity suite (fidelity.spec.ts): our replica and rrweb's live replay against the customer's
// viewport, per page of the corpus, with the real `cobrowse` binary (target/debug/cobrowse, or
// $COBROWSE_BIN) and the Debian chromium ($CHROMIUM_PATH); no browser download.
//
//   cd web && npx playwright test -c fidelity/playwright.config.ts             every page
//   FIDELITY_SMOKE=1 npx playwright test -c fidelity/playwright.config.ts      the quick subset
//   FIDELITY_PAGES=todomvc,form …                                              pages whose id contains one of these
//   FIDELITY_REPORT=../docs/fidelity.md …                                      write the report afterwards
//
// Results, screenshots and diff images: web/fidelity-results/ (ignored by git).

import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: 'fidelity.spec.ts',
  outputDir: '../fidelity-results/test-output',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // Each page opens four browser contexts; the machine has two cores shared with others.
  workers: Number(process.env.FIDELITY_WORKERS ?? 1),
  fullyParallel: true,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    headless: true,
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            // Same text rendering on both sides of every comparison, whatever the machine's settings.
            '--font-render-hinting=none',
          ],
        },
      },
    },
  ],
});
