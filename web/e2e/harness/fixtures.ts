// Playwright fixtures for the end-to-end tests.
//
// Worker scope (one per Playwright worker, shared by its tests):
//   cobrowse  the real server binary with a temp data dir (harness/server.ts)
//   site      the customer's website, another origin, serving web/e2e/fixtures/ (harness/site.ts)
// Test scope (fresh per test):
//   agentAccount    a new agent user (CLI). Per test, because an agent is in one session at a time
//                   and a session outlives its agent's closed browser by the agent grace period.
//   customer        a Page in its own browser context
//   agent           a Page in another context, logged in as agentAccount through the REST API
//   loggedOutAgent  a Page in another context, not logged in (for the login form and deep links)
//   adminAccount    a new administrator (CLI)
//   admin           a Page in another context, not logged in (the DOM Restrictions Editor's login)
// When a test fails, the server's output during the test and each page's console are printed and
// attached to the report.

import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { startCobrowseServer, type AgentAccount, type CobrowseServer } from './server';
import { startFixtureSite, type FixtureSite } from './site';

export { expect };

interface WorkerFixtures {
  cobrowse: CobrowseServer;
  site: FixtureSite;
}

interface TestFixtures {
  agentAccount: AgentAccount;
  customer: Page;
  agent: Page;
  loggedOutAgent: Page;
  adminAccount: AgentAccount;
  admin: Page;
  serverLogOnFailure: void;
}

function failed(testInfo: TestInfo): boolean {
  return testInfo.status !== testInfo.expectedStatus;
}

/** Opens a page in a fresh context, records its console and errors, and closes it afterwards. */
async function withPage(
  browser: Browser,
  name: string,
  testInfo: TestInfo,
  prepare: (context: BrowserContext) => Promise<void>,
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const lines: string[] = [];
  const started = Date.now();
  const stamp = (): string => `+${((Date.now() - started) / 1000).toFixed(3)}s`;
  context.on('console', (msg) => lines.push(`${stamp()} console.${msg.type()}: ${msg.text()}`));
  context.on('weberror', (error) => lines.push(`${stamp()} uncaught: ${error.error().stack ?? String(error.error())}`));
  context.on('requestfailed', (request) =>
    lines.push(`${stamp()} request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  try {
    await prepare(context);
    const page = await context.newPage();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) lines.push(`${stamp()} navigated: ${frame.url()}`);
    });
    await use(page);
  } finally {
    if (failed(testInfo) && lines.length > 0) {
      const text = lines.join('\n');
      await testInfo.attach(`${name}-console.txt`, { body: text, contentType: 'text/plain' });
      process.stderr.write(`\n--- ${name} browser log (${testInfo.title}) ---\n${text}\n`);
    }
    await context.close();
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  site: [
    // The cobrowse server needs the site's origin (--allowed-origin) and the site's pages need the
    // server's URL: the site starts first, `cobrowse` tells it the server's URL.
    async ({}, use) => {
      const site = await startFixtureSite();
      await use(site);
      await site.stop();
    },
    { scope: 'worker' },
  ],

  cobrowse: [
    async ({ site }, use) => {
      const server = await startCobrowseServer([site.origin]);
      site.cobrowseUrl = server.cobrowseUrl;
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  serverLogOnFailure: [
    async ({ cobrowse }, use, testInfo) => {
      const from = cobrowse.log.lines.length;
      await use();
      if (failed(testInfo)) {
        const text = cobrowse.log.since(from);
        await testInfo.attach('server-log.txt', { body: text, contentType: 'text/plain' });
        process.stderr.write(`\n--- cobrowse server log (${testInfo.title}) ---\n${text}\n`);
      }
    },
    { auto: true },
  ],

  agentAccount: async ({ cobrowse }, use) => {
    await use(await cobrowse.addAgent());
  },

  // The customer's pages on the fixture site need the server's URL: depend on `cobrowse`.
  customer: async ({ browser, cobrowse: _ }, use, testInfo) => {
    await withPage(browser, 'customer', testInfo, async () => {}, use);
  },

  agent: async ({ browser, cobrowse, agentAccount }, use, testInfo) => {
    await withPage(
      browser,
      'agent',
      testInfo,
      async (context) => {
        // The context's request API shares the context's cookie jar: the login cookie it receives is
        // the one the agent's pages send.
        const response = await context.request.post(`${cobrowse.origin}/cobrowse/rest/auth/login`, {
          data: { username: agentAccount.username, password: agentAccount.password },
        });
        expect(response.status(), `REST login: ${await response.text()}`).toBe(200);
      },
      use,
    );
  },

  loggedOutAgent: async ({ browser }, use, testInfo) => {
    await withPage(browser, 'agent', testInfo, async () => {}, use);
  },

  adminAccount: async ({ cobrowse }, use) => {
    await use(await cobrowse.addAdmin());
  },

  admin: async ({ browser, cobrowse: _ }, use, testInfo) => {
    await withPage(browser, 'admin', testInfo, async () => {}, use);
  },
});
