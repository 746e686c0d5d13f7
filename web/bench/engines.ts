// The two recorders on a customer's page, behind one interface, instrumented the same way.
//
// Ours: the page with our snippet (gcb.min.js, as a site embeds it), a session started through the
// JavaScript API, and an agent that is a bare WebSocket on the agent socket (logged in, `join`,
// frames counted and dropped): the customer's CPU is not shared with a viewer rebuilding the
// replica. A full snapshot is asked for with the agent's `requestSnapshot`, as a viewer does; it is
// done when the SDK sends the kind-1 frame (an init script wraps `WebSocket.prototype.send` and
// records, for each message, `performance.now()`, its size and for DOM frames its kind).
//
// rrweb: `@rrweb/record`'s UMD bundle run as an init script before any page script (its documented
// setup), `record({ emit })` with an emit that does what the least a transport must do: the event as
// JSON text, kept in the page (`performance.now()` and the text of each). A full snapshot is
// `record.takeFullSnapshot(true)`. Bytes are the events packed with `@rrweb/packer` (in Node).
//
// A late joiner's snapshot (`prepareSnapshot`) is taken on the page as opened, recording since its
// load; a first snapshot (`prepareFirstSnapshot`) on the page reloaded in first-snapshot mode: ours
// resumes its session there and the page holds the server's `snapshotRequest` until the measurement,
// rrweb's bundle is there but `record()` is called only in the measurement.
//
// Both: 1024×768 at device scale 1, a `longtask` PerformanceObserver from the start of the page,
// CDP `Performance` metrics (`TaskDuration`: main-thread task time of the page's renderer).

import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CobrowseServer } from '../e2e/harness/server';
import { startQuestion } from '../e2e/harness/ui';

const require = createRequire(import.meta.url);

export type EngineName = 'ours' | 'rrweb';

/** A message the customer's page sent on a WebSocket (ours) or an event rrweb emitted. */
export interface Sent {
  t: number;
  bytes: number;
  /** DOM frame kind (1 full, 2 batch) for our DOM frames, -1 for our other binary messages (pointer moves); rrweb's event type; 0 for text. */
  kind: number;
}

export interface Customer {
  engine: EngineName;
  page: Page;
  cdp: CDPSession;
  /** Messages sent so far (ours) or events emitted (rrweb), from index `from`. */
  sent(from?: number): Promise<Sent[]>;
  /** How many have been sent. */
  count(): Promise<number>;
  /** Long tasks (ms) that started at or after `since` (performance.now()). */
  longTasks(since: number): Promise<number[]>;
  /** `performance.now()` in the page. */
  now(): Promise<number>;
  /** Main-thread task time of the page so far, ms (CDP `Performance.getMetrics` TaskDuration). */
  taskTime(): Promise<number>;
  /** Asks for a full snapshot and resolves once it is sent (ours) or emitted (rrweb). */
  fullSnapshot(): Promise<void>;
  /**
   * Readies a measured full snapshot: the page is told what to wait for (see `armSnapshotWait`).
   * The function returned asks for the snapshot and resolves once it was sent (emitted) and the
   * page then sent nothing for `quietMs`, with one CDP evaluation in the page and no polling.
   */
  prepareSnapshot(quietMs: number, timeoutMs: number): Promise<() => Promise<void>>;
  /**
   * Readies a measured FIRST snapshot of a page: reloads the page (a fresh document), waits until
   * it has settled, and arms the same wait as `prepareSnapshot`. The function returned starts the
   * recorder's first snapshot on that page in a task of the page's own — ours: the SDK resumed its
   * session on the new page and the server's `snapshotRequest {customerReconnected}` (held by the
   * page until then) is handed to it; rrweb: `record()` — and resolves once the snapshot was sent
   * (emitted) and the page then sent nothing for `quietMs`.
   */
  prepareFirstSnapshot(quietMs: number, timeoutMs: number): Promise<() => Promise<void>>;
  /** Waits until nothing was sent for `quietMs`; resolves with the time of the last message. */
  quiet(quietMs: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

export interface EngineOptions {
  browser: Browser;
  cobrowse: CobrowseServer;
  url: string;
  log: (line: string) => void;
  /** Route the SDK's minified bundle to its readable build (for CPU profiles with names). */
  readableSdk?: boolean;
}

/** Init script of both: long tasks of the page from its start, in `window.__benchLongTasks`. */
function longTaskScript(): void {
  const w = window as unknown as { __benchLongTasks: Array<[number, number]> };
  w.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__benchLongTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: the figure is then missing, not wrong
  }
}

/** Init script of ours: what the page's WebSockets send, in `window.__benchSent`. */
function socketTapScript(): void {
  const w = window as unknown as { __benchSent: Array<[number, number, number]>; __benchSentHook?: () => void };
  w.__benchSent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
    const t = performance.now();
    if (typeof data === 'string') {
      w.__benchSent.push([t, new TextEncoder().encode(data).byteLength, 0]);
    } else if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) {
      const b = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      // A DOM frame (format version 1) by its kind; other binary messages (pointer moves) -1.
      w.__benchSent.push([t, b.byteLength, b[0] === 1 ? (b[1] ?? -1) : -1]);
    } else {
      w.__benchSent.push([t, (data as Blob).size, -1]);
    }
    w.__benchSentHook?.();
    return send.call(this, data);
  };
}

/**
 * The sessionStorage key that puts a tab into first-snapshot mode (kept across reloads): our page
 * holds the first `snapshotRequest` it receives (below), rrweb's page does not start `record()` at
 * load. Set by `prepareFirstSnapshot` only.
 */
const FIRST_SNAPSHOT_MODE = '__benchFirstSnapshot';

/**
 * Init script of ours: in first-snapshot mode, the page's first `snapshotRequest` is held back
 * from the SDK (`window.__benchHeld` resolves when it arrived; `window.__benchRelease()` hands it
 * over), so that the measurement starts when our capture is asked for its first snapshot on the
 * page, not at the page's load (the page's own load work and the SDK's boot and reconnection are
 * outside the window, as rrweb's bundle evaluation is). Everything else reaches the SDK as sent.
 */
function holdSnapshotRequestScript(mode: string): void {
  let hold = false;
  try {
    hold = sessionStorage.getItem(mode) === '1';
  } catch {
    // no storage (an opaque origin): not in first-snapshot mode
  }
  if (!hold || window !== window.top) return;
  const w = window as unknown as { __benchHeld: Promise<string>; __benchRelease?: () => void };
  let held!: (message: string) => void;
  w.__benchHeld = new Promise<string>((resolve) => (held = resolve));
  const handler = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage') as PropertyDescriptor;
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    enumerable: handler.enumerable,
    get(this: WebSocket) {
      return handler.get?.call(this);
    },
    set(this: WebSocket, fn: ((ev: MessageEvent) => unknown) | null) {
      if (typeof fn !== 'function') return handler.set?.call(this, fn);
      const ws = this;
      handler.set?.call(this, (ev: MessageEvent) => {
        if (hold && typeof ev.data === 'string' && ev.data.includes('"snapshotRequest"')) {
          hold = false;
          w.__benchRelease = () => fn.call(ws, ev);
          held(ev.data);
          return undefined;
        }
        return fn.call(ws, ev);
      });
    },
  });
}

/**
 * Until the page's main thread has settled after a load: less than 2 ms of task time in a window
 * of 300 ms (read over CDP, the page's own work and the recorder's boot done), the same for both
 * engines. The window is the condition's own measure, not a pause; a page that never settles
 * fails the run rather than being measured busy.
 */
async function settle(cdp: CDPSession, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let before = await taskTime(cdp);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await taskTime(cdp);
    if (now - before < 2) return;
    if (Date.now() > end) throw new Error(`the page's main thread did not settle within ${timeoutMs} ms (${(now - before).toFixed(1)} ms of tasks in the last 300 ms)`);
    before = now;
  }
}

/** Reloads `page` in first-snapshot mode (the flag survives the reload in sessionStorage). */
async function reloadForFirstSnapshot(page: Page): Promise<void> {
  await page.evaluate((mode) => sessionStorage.setItem(mode, '1'), FIRST_SNAPSHOT_MODE);
  const response = await page.reload({ waitUntil: 'load', timeout: 120_000 });
  if (!response?.ok()) throw new Error(`${page.url()}: HTTP ${response?.status() ?? 'no response'} on reload`);
}

async function newContext(browser: Browser, log: (line: string) => void, label: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
  context.on('weberror', (e) => log(`${label} uncaught: ${String(e.error())}`));
  context.on('console', (m) => {
    if (m.type() === 'error') log(`${label} console.error: ${m.text()}`);
  });
  // Loopback only (the corpus's few CDN links fail fast, the same for both); loopback requests are
  // not intercepted at all (a 150,000-node document through the route lost its cookie's snippet).
  await context.route(
    (url) => url.protocol.startsWith('http') && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1',
    (route) => route.abort('blockedbyclient'),
  );
  await context.addInitScript(longTaskScript);
  return context;
}

/** Opens `url`; a page that is not there (a corpus outside FIDELITY_CORPUS) fails the run. */
async function load(page: Page, url: string): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  if (!response?.ok()) throw new Error(`${url}: HTTP ${response?.status() ?? 'no response'}`);
}

async function cdpFor(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  // Thread CPU time: the machine is shared, and a descheduled main thread costs the page nothing.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return cdp;
}

async function taskTime(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const m = metrics.find((x) => x.name === 'TaskDuration');
  if (!m) throw new Error('no TaskDuration metric');
  return m.value * 1000;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type SentRecord = Array<[number, number, number]>;

/**
 * In the page: `window.__benchArmed`, a promise that resolves once a message of `kind` was sent
 * after this call and then nothing for `quietMs` (rejects after `timeoutMs`). Driven by the send
 * hook (`__benchSentHook`) and one timer, not by polling: each CDP evaluation costs the page's
 * main thread about 0.3 ms, which a runner polling every 25–50 ms would add to the figure.
 */
function armSnapshotWait({ kind, quietMs, timeoutMs }: { kind: number; quietMs: number; timeoutMs: number }): void {
  const w = window as unknown as { __benchSent: SentRecord; __benchSentHook?: () => void; __benchArmed?: Promise<void> };
  const sent = w.__benchSent;
  const from = sent.length;
  w.__benchArmed = new Promise<void>((resolve, reject) => {
    let seen = false;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const fail = setTimeout(() => {
      w.__benchSentHook = undefined;
      reject(new Error(`no message of kind ${kind} then ${quietMs} ms of quiet within ${timeoutMs} ms`));
    }, timeoutMs);
    w.__benchSentHook = () => {
      if (!seen) for (let i = from; i < sent.length && !seen; i++) seen = (sent[i] as [number, number, number])[2] === kind;
      if (!seen) return;
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        w.__benchSentHook = undefined;
        clearTimeout(fail);
        resolve();
      }, quietMs);
    };
  });
}
const armedWait = (page: Page): Promise<void> => page.evaluate(() => (window as unknown as { __benchArmed: Promise<void> }).__benchArmed);
const sentOf = (page: Page, from: number): Promise<Sent[]> =>
  page.evaluate((f) => (window as unknown as { __benchSent: SentRecord }).__benchSent.slice(f).map(([t, bytes, kind]) => ({ t, bytes, kind })), from);
const sentCount = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __benchSent: SentRecord }).__benchSent.length);
/** How many messages of `kind` were sent (ours: DOM frame kind; rrweb: event type). */
const ofKind = (page: Page, kind: number): Promise<number> =>
  page.evaluate((k) => (window as unknown as { __benchSent: SentRecord }).__benchSent.filter(([, , x]) => x === k).length, kind);

function common(page: Page, cdp: CDPSession) {
  const read = (from: number) => sentOf(page, from);
  const count = () => sentCount(page);
  return {
    page,
    cdp,
    sent: (from = 0) => read(from),
    count,
    longTasks: (since: number) =>
      page.evaluate(
        (s) => (window as unknown as { __benchLongTasks: Array<[number, number]> }).__benchLongTasks.filter(([t]) => t >= s).map(([, d]) => d),
        since,
      ),
    now: () => page.evaluate(() => performance.now()),
    taskTime: () => taskTime(cdp),
    quiet: async (quietMs: number, timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      let last = -1;
      let n = await count();
      let since = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 50));
        const m = await count();
        if (m !== n) {
          n = m;
          since = Date.now();
        } else if (Date.now() - since >= quietMs) {
          const all = await read(Math.max(0, n - 1));
          last = all[all.length - 1]?.t ?? -1;
          return last;
        }
        if (Date.now() > end) throw new Error(`the page kept sending for ${timeoutMs} ms`);
      }
    },
  };
}

/** The agent: a bare agent socket in a page of the cobrowse server's origin, logged in. */
async function bareAgent(browser: Browser, cobrowse: CobrowseServer, token: string): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const account = await cobrowse.addAgent();
  const login = await context.request.post(`${cobrowse.origin}/cobrowse/rest/auth/login`, {
    data: { username: account.username, password: account.password },
  });
  expect(login.status(), 'agent login').toBe(200);
  const page = await context.newPage();
  await page.goto(`${cobrowse.origin}/cobrowse/health`);
  await page.evaluate(
    ({ token }) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/cobrowse/ws/agent`);
        ws.binaryType = 'arraybuffer';
        const state = { frames: 0, bytes: 0, joined: false, ws };
        (window as unknown as { __agent: typeof state }).__agent = state;
        ws.onopen = () => ws.send(JSON.stringify({ type: 'join', protocolVersion: 1, token }));
        ws.onmessage = (e) => {
          if (typeof e.data === 'string') {
            const msg = JSON.parse(e.data) as { type: string };
            if (msg.type === 'joined') {
              state.joined = true;
              resolve();
            } else if (msg.type === 'error' && !state.joined) reject(new Error(e.data));
          } else {
            state.frames += 1;
            state.bytes += (e.data as ArrayBuffer).byteLength;
          }
        };
        ws.onerror = () => reject(new Error('agent socket error'));
      }),
    { token },
  );
  return { page, close: () => context.close() };
}

/** Our SDK on `url`: a session started, a bare agent joined, the first full snapshot sent. */
export async function openOurs(o: EngineOptions): Promise<Customer> {
  const context = await newContext(o.browser, o.log, 'customer(ours)');
  await context.addCookies([{ name: 'fidelity-snippet', value: 'ours', domain: 'localhost', path: '/' }]);
  await context.addInitScript(socketTapScript);
  await context.addInitScript(holdSnapshotRequestScript, FIRST_SNAPSHOT_MODE);
  if (o.readableSdk) {
    await context.route(/\/cobrowse\/js\/gcb\.min\.js$/, (route) => route.continue({ url: route.request().url().replace(/gcb\.min\.js$/, 'gcb.js') }));
  }
  const page = await context.newPage();
  await load(page, o.url);
  await page.evaluate(() => {
    const w = window as unknown as { _genesys: { cobrowse: { onReady: Array<(api: { startSession(): void }) => void> } } };
    w._genesys.cobrowse.onReady.push((api) => api.startSession());
  });
  // The token from the socket's `hello` (the toolbar's text locator scans the whole page, which
  // takes longer than a minute at 150,000 nodes).
  const hello = page
    .waitForEvent('websocket', { timeout: 60_000 })
    .then((ws) => ws.waitForEvent('framesent', { predicate: (f) => typeof f.payload === 'string' && f.payload.includes('"hello"'), timeout: 60_000 }));
  const question = startQuestion(page);
  await expect(question).toBeVisible({ timeout: 30_000 });
  await question.getByRole('button', { name: 'Yes' }).click();
  const token = (JSON.parse(String((await hello).payload)) as { token: string }).token;
  const cdp = await cdpFor(page);
  const fulls = () => ofKind(page, 1);
  const agent = await bareAgent(o.browser, o.cobrowse, token);
  await waitFor('the first full snapshot', async () => (await fulls()) >= 1, 120_000);
  let lastRequest = Date.now();
  return {
    engine: 'ours',
    ...common(page, cdp),
    fullSnapshot: async () => {
      const before = await fulls();
      // The server asks the customer at most once per 500 ms; keep clear of that window.
      const wait = lastRequest + 600 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastRequest = Date.now();
      await agent.page.evaluate(() => (window as unknown as { __agent: { ws: WebSocket } }).__agent.ws.send(JSON.stringify({ type: 'requestSnapshot' })));
      await waitFor('a full snapshot', async () => (await fulls()) > before, 120_000, 25);
    },
    prepareSnapshot: async (quietMs, timeoutMs) => {
      // The server asks the customer at most once per 500 ms; keep clear of that window.
      const wait = lastRequest + 600 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await page.evaluate(armSnapshotWait, { kind: 1, quietMs, timeoutMs });
      return async () => {
        lastRequest = Date.now();
        await agent.page.evaluate(() => (window as unknown as { __agent: { ws: WebSocket } }).__agent.ws.send(JSON.stringify({ type: 'requestSnapshot' })));
        await armedWait(page);
      };
    },
    prepareFirstSnapshot: async (quietMs, timeoutMs) => {
      // The real path of a customer's navigation during a session: the page (re)loads, the SDK
      // resumes the tab's session, and the server, an agent being attached, asks it for a
      // snapshot (`snapshotRequest {reason: "customerReconnected"}`), which the page holds.
      await reloadForFirstSnapshot(page);
      const request = await page.evaluate(() => (window as unknown as { __benchHeld: Promise<string> }).__benchHeld);
      if (!request.includes('"customerReconnected"')) throw new Error(`expected the server's snapshot request after a reload, got ${request}`);
      await settle(cdp, 30_000);
      await page.evaluate(armSnapshotWait, { kind: 1, quietMs, timeoutMs });
      return () =>
        page.evaluate(() => {
          const w = window as unknown as { __benchRelease: () => void; __benchArmed: Promise<void> };
          setTimeout(() => w.__benchRelease(), 0);
          return w.__benchArmed;
        });
    },
    close: async () => {
      await agent.close();
      await context.close();
    },
  };
}

let recordBundle: string | null = null;

/** The UMD bundles of rrweb's recorder and packer (what a site ships for rrweb), minified. */
// (The packages export neither file: found beside their main entry points, in dist/.)
export const RRWEB_RECORD_BUNDLE = path.join(path.dirname(require.resolve('@rrweb/record')), 'record.umd.min.cjs');
export const RRWEB_PACK_BUNDLE = path.join(path.dirname(require.resolve('@rrweb/packer')), 'pack.umd.min.cjs');

/**
 * The harness alone: the page at `url` with no recorder (our snippet blocked, as in rrweb's runs)
 * and the same measurement as `prepareSnapshot` — `armSnapshotWait`, then, in a task of the page,
 * one message recorded as if a recorder had sent its snapshot, and the quiet after it. Its
 * main-thread time is what the window costs a recorder that does nothing: the CDP evaluation that
 * waits, the page's timers, the quiet timer (the floor of the snapshot figures).
 */
export async function openHarnessFloor(o: EngineOptions): Promise<{ page: Page; prepareSnapshot: Customer['prepareSnapshot']; taskTime(): Promise<number>; close(): Promise<void> }> {
  const context = await newContext(o.browser, o.log, 'harness alone');
  await context.route(/\/cobrowse\/js\/gcb(\.min)?\.js/, (route) => route.abort('blockedbyclient'));
  await context.addInitScript(() => {
    (window as unknown as { __benchSent: SentRecord }).__benchSent = [];
  });
  const page = await context.newPage();
  await load(page, o.url);
  const cdp = await cdpFor(page);
  return {
    page,
    prepareSnapshot: async (quietMs, timeoutMs) => {
      await page.evaluate(armSnapshotWait, { kind: 1, quietMs, timeoutMs });
      return () =>
        page.evaluate(() => {
          const w = window as unknown as { __benchSent: SentRecord; __benchSentHook?: () => void; __benchArmed: Promise<void> };
          setTimeout(() => {
            w.__benchSent.push([performance.now(), 0, 1]);
            w.__benchSentHook?.();
          }, 0);
          return w.__benchArmed;
        });
    },
    taskTime: () => taskTime(cdp),
    close: () => context.close(),
  };
}

/** rrweb's recorder on `url`, recording from before the page's scripts. */
export async function openRrweb(o: EngineOptions): Promise<Customer> {
  recordBundle ??= await readFile(RRWEB_RECORD_BUNDLE, 'utf8');
  const context = await newContext(o.browser, o.log, 'customer(rrweb)');
  // The demo shop embeds our snippet itself: it does not run in rrweb's runs.
  await context.route(/\/cobrowse\/js\/gcb(\.min)?\.js/, (route) => route.abort('blockedbyclient'));
  // Recording starts before the page's scripts, except in first-snapshot mode, where the page's
  // `__benchRecord()` is called later, in a task of the page (`prepareFirstSnapshot`).
  await context.addInitScript({
    content:
      `if (window === window.top) {\n${recordBundle}\n;` +
      `window.__benchSent = []; window.__benchEvents = [];\n` +
      `window.__benchRecord = function () { rrwebRecord.record({ emit: function (event) { var text = JSON.stringify(event); window.__benchSent.push([performance.now(), text.length, event.type]); window.__benchEvents.push(text); if (window.__benchSentHook) window.__benchSentHook(); }, blockSelector: '[data-gcb-service-node]' }); };\n` +
      `var firstSnapshotMode = false; try { firstSnapshotMode = sessionStorage.getItem(${JSON.stringify(FIRST_SNAPSHOT_MODE)}) === '1'; } catch (e) {}\n` +
      `if (!firstSnapshotMode) window.__benchRecord();\n}`,
  });
  const page = await context.newPage();
  await load(page, o.url);
  // rrweb takes its first snapshot at the load event.
  const fulls = () => ofKind(page, 2);
  await waitFor("rrweb's first full snapshot", async () => (await fulls()) >= 1, 120_000);
  const cdp = await cdpFor(page);
  return {
    engine: 'rrweb',
    ...common(page, cdp),
    fullSnapshot: async () => {
      const before = await fulls();
      // In a task of the page's own (a task run for DevTools is no `longtask` entry), as ours
      // snapshots in the task of a socket message.
      await page.evaluate(() => {
        // Events of earlier runs are not needed any more (memory of the page).
        (window as unknown as { __benchEvents: string[] }).__benchEvents.length = 0;
        setTimeout(() => {
          (window as unknown as { rrwebRecord: { record: { takeFullSnapshot(isCheckout?: boolean): void } } }).rrwebRecord.record.takeFullSnapshot(true);
        }, 0);
      });
      await waitFor('a full snapshot', async () => (await fulls()) > before, 120_000, 25);
    },
    prepareSnapshot: async (quietMs, timeoutMs) => {
      await page.evaluate(() => {
        (window as unknown as { __benchEvents: string[] }).__benchEvents.length = 0;
      });
      await page.evaluate(armSnapshotWait, { kind: 2, quietMs, timeoutMs });
      // One evaluation, as ours has one (the wait): the snapshot in a task of the page's own.
      return () =>
        page.evaluate(() => {
          setTimeout(() => {
            (window as unknown as { rrwebRecord: { record: { takeFullSnapshot(isCheckout?: boolean): void } } }).rrwebRecord.record.takeFullSnapshot(true);
          }, 0);
          return (window as unknown as { __benchArmed: Promise<void> }).__benchArmed;
        });
    },
    prepareFirstSnapshot: async (quietMs, timeoutMs) => {
      await reloadForFirstSnapshot(page);
      await settle(cdp, 30_000);
      await page.evaluate(armSnapshotWait, { kind: 2, quietMs, timeoutMs });
      // `record()` itself (its observers' setup and its first snapshot) in a task of the page's own.
      return () =>
        page.evaluate(() => {
          const w = window as unknown as { __benchRecord: () => void; __benchArmed: Promise<void> };
          setTimeout(() => w.__benchRecord(), 0);
          return w.__benchArmed;
        });
    },
    close: () => context.close(),
  };
}

/** The events rrweb emitted so far, as JSON texts (rrweb only). */
export function rrwebEvents(c: Customer): Promise<string[]> {
  return c.page.evaluate(() => (window as unknown as { __benchEvents: string[] }).__benchEvents);
}

export function openEngine(engine: EngineName, o: EngineOptions): Promise<Customer> {
  return engine === 'ours' ? openOurs(o) : openRrweb(o);
}
