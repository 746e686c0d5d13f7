// End-to-end tests: the real `cobrowse` binary (target/debug/cobrowse, or $COBROWSE_BIN) and the
// Debian chromium (/usr/bin/chromium, or $CHROMIUM_PATH); no browser download. Each worker starts
// its own server and fixture site (harness/fixtures.ts).
//
//   cd web && npx playwright test -c e2e/playwright.config.ts

import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests',
  outputDir: '../test-results',
  // Two browsers with two contexts each already load both cores of the CI machine.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: true,
  retries: 0,
  forbidOnly: true,
  // Slow, noisy machines: generous waits for "eventually"; the tests' "within a second" assertions
  // pass their own short timeouts, measured from the action.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    headless: true,
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
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
            // Without these, Chromium's own background connections are refused by a closed network
            // and its connections to the test servers can be refused with them.
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
