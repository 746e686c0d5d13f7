// The two mirrors measured on each page, behind one interface: ours (the customer's page with our
// snippet, a session started through the JavaScript API, the agent desktop joined from its form,
// the replica iframe at scale 1) and rrweb's (record() on the customer's page, the Replayer in live
// mode on a replay page, events passed through Playwright in order).
//
// Both customer pages are 1024×768 at device scale 1, get their snippet injected into the HTML
// document response (right after the doctype), the same quiet tracker, and no network beyond
// loopback (the corpus's few CDN links fail fast, the same for both).

import type { Browser, BrowserContext, Locator, Page, Route } from '@playwright/test';
import { expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openDesktopAndJoin, expectAgentState, replicaElement, startQuestion, tokenInToolbar } from '../e2e/harness/ui';
import type { CobrowseServer } from '../e2e/harness/server';
import { RRWEB_DIST } from './sites';
import { quietTrackerScript, trackRequests, VIEWPORT, type InFlight } from './compare';

/** The agent's (or replay page's) window: large enough for the replica at scale 1 beside the chat. */
const VIEWER_VIEWPORT = { width: 1700, height: 1150 };

export type MirrorName = 'ours' | 'rrweb';

/** The mirror never showed a replica of the page: a finding about the mirror, not the suite. */
export class NoReplica extends Error {}

/** The first line of an error's message, without terminal colours (it goes into the report). */
function firstLine(error: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(error instanceof Error ? error.message.split('\n')[0] : error).replace(/\x1b\[[0-9;]*m/g, '');
}

async function expectReplica(replica: Locator, what: string): Promise<void> {
  try {
    await expect(replica).toBeVisible();
  } catch (error) {
    throw new NoReplica(`${what}: ${firstLine(error)}`);
  }
}

export interface Mirror {
  name: MirrorName;
  customer: Page;
  customerRequests: InFlight;
  /** The page that shows the replica (agent desktop or replay page). */
  viewer: Page;
  viewerRequests: InFlight;
  /** The replica iframe in `viewer`. */
  replica: Locator;
  close(): Promise<void>;
}

export interface OpenOptions {
  browser: Browser;
  cobrowse: CobrowseServer;
  /** The absolute URL of the customer's page. */
  url: string;
  /** An origin that serves /__fidelity/replay.html. */
  replayOrigin: string;
  log: (line: string) => void;
}

function isLoopback(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
    return hostname === 'localhost' || hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/**
 * No network beyond loopback (the corpus's few CDN links fail at once, the same for both mirrors);
 * `block` requests are refused too. Requests are never fulfilled by the runner: a document
 * fulfilled by Playwright would lose its loopback address space and Chromium would then refuse its
 * requests to the cobrowse server (Local Network Access).
 */
async function routeCustomer(context: BrowserContext, block: RegExp | null): Promise<void> {
  await context.route('**/*', async (route: Route) => {
    const url = route.request().url();
    if (!isLoopback(url) || (block && block.test(url))) await route.abort('blockedbyclient');
    else await route.continue();
  });
}

async function customerContext(browser: Browser, log: (line: string) => void, label: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  context.on('weberror', (e) => log(`${label} uncaught: ${String(e.error())}`));
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`${label} console.${m.type()}: ${m.text()}`);
  });
  context.on('requestfailed', (r) => log(`${label} request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await context.addInitScript(quietTrackerScript);
  return context;
}

async function viewerContext(browser: Browser, log: (line: string) => void, label: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWER_VIEWPORT, deviceScaleFactor: 1 });
  context.on('weberror', (e) => log(`${label} uncaught: ${String(e.error())}`));
  context.on('console', (m) => {
    if (m.type() === 'error') log(`${label} console.error: ${m.text()}`);
  });
  return context;
}

/** Our co-browsing: a session on the customer's page, the agent desktop's replica. */
export async function openOurs(o: OpenOptions): Promise<Mirror> {
  const customerCtx = await customerContext(o.browser, o.log, 'customer(ours)');
  // The sites put our snippet into their pages for this cookie (sites.ts); the demo has its own.
  await customerCtx.addCookies([{ name: 'fidelity-snippet', value: 'ours', domain: 'localhost', path: '/' }]);
  await routeCustomer(customerCtx, null);
  const customer = await customerCtx.newPage();
  const customerRequests = trackRequests(customer);
  await customer.goto(o.url, { waitUntil: 'load' });

  // Start through the JavaScript API; the built-in UI asks whether the customer is on the phone.
  await customer.evaluate(() => {
    const w = window as unknown as { _genesys: { cobrowse: { onReady: Array<(api: { startSession(): void }) => void> } } };
    w._genesys.cobrowse.onReady.push((api) => api.startSession());
  });
  const question = startQuestion(customer);
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Yes' }).click();
  const token = await tokenInToolbar(customer);

  const agentCtx = await viewerContext(o.browser, o.log, 'agent');
  const account = await o.cobrowse.addAgent();
  const login = await agentCtx.request.post(`${o.cobrowse.origin}/cobrowse/rest/auth/login`, {
    data: { username: account.username, password: account.password },
  });
  expect(login.status(), 'agent login').toBe(200);
  const agent = await agentCtx.newPage();
  const viewerRequests = trackRequests(agent);
  await openDesktopAndJoin(agent, o.cobrowse, token);
  try {
    await expectAgentState(agent, 'live');
  } catch (error) {
    throw new NoReplica(`the agent desktop never went live (no snapshot from the page): ${firstLine(error)}`);
  }
  // The agent's own mouse rests where the Join button was, now over the replica: its hover would
  // show in the replica and not on the customer's page. Away from the replica, over the header.
  await agent.mouse.move(1, 1);
  // The customer's pointer drawn over the replica and the desktop's toasts are the agent's own.
  await agent.addStyleTag({ content: '[data-cobrowse-customer-pointer], #notice { visibility: hidden !important; }' });
  const replica = replicaElement(agent);
  await expectReplica(replica, 'the agent desktop shows no replica');
  await expect(replica, 'the replica is not scaled').toHaveAttribute('data-scale', '1');
  return {
    name: 'ours',
    customer,
    customerRequests,
    viewer: agent,
    viewerRequests,
    replica,
    close: async () => {
      await customerCtx.close();
      await agentCtx.close();
    },
  };
}

let rrwebBundle: Buffer | null = null;

/** rrweb: record() on the customer's page, the Replayer in live mode on the replay page. */
export async function openRrweb(o: OpenOptions): Promise<Mirror> {
  rrwebBundle ??= await readFile(path.join(RRWEB_DIST, 'rrweb.umd.min.cjs'));
  const viewerCtx = await viewerContext(o.browser, o.log, 'replay');
  const viewer = await viewerCtx.newPage();
  const viewerRequests = trackRequests(viewer);
  await viewer.goto(`${o.replayOrigin}/__fidelity/replay.html`);
  await viewer.waitForFunction(() => typeof (window as unknown as { __fidelityAddEvent?: unknown }).__fidelityAddEvent === 'function');

  const customerCtx = await customerContext(o.browser, o.log, 'customer(rrweb)');
  // Events reach the replayer in the order they were emitted.
  let chain: Promise<unknown> = Promise.resolve();
  let failure: unknown = null;
  await customerCtx.exposeBinding('__fidelityEmit', (_source, event: unknown) => {
    chain = chain
      .then(() => viewer.evaluate((e) => (window as unknown as { __fidelityAddEvent(e: unknown): void }).__fidelityAddEvent(e), event))
      .catch((error: unknown) => {
        failure ??= error;
        o.log(`rrweb event not delivered: ${String(error)}`);
      });
  });
  // rrweb's documented setup, in the top document before any page script (rrweb records same-origin
  // frames itself and waits for the load event to take its snapshot); service elements (the demo's
  // chat widget) are blocked, as ours never sends them. Our own SDK does not run in this run.
  await customerCtx.addInitScript({
    content:
      `if (window === window.top) {\n${rrwebBundle.toString('utf8')}\n;` +
      `rrweb.record({ emit: function (event) { window.__fidelityEmit(event); }, blockSelector: '[data-gcb-service-node]' });\n}`,
  });
  await routeCustomer(customerCtx, /\/cobrowse\/js\/gcb(\.min)?\.js/);
  const customer = await customerCtx.newPage();
  const customerRequests = trackRequests(customer);
  await customer.goto(o.url, { waitUntil: 'load' });
  const replica = viewer.locator('#player iframe');
  await expectReplica(replica, "rrweb's replayer shows no replica");
  await expect(replica).toHaveAttribute('width', String(VIEWPORT.width));
  if (failure) throw failure;
  return {
    name: 'rrweb',
    customer,
    customerRequests,
    viewer,
    viewerRequests,
    replica,
    close: async () => {
      await customerCtx.close();
      await viewerCtx.close();
    },
  };
}
