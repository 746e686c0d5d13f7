// The agent side of the browser benchmark (replay.spec.ts): what each engine's agent receives,
// recorded once per input on the customer's page, and the agent's page that applies it.
//
// Recording (the customer's side, engines.ts's customers as the other benchmarks open them):
// - ours: the binary DOM frames the SDK sends on its WebSocket (a wrapper of
//   `WebSocket.prototype.send` installed in the page keeps a copy of each; the server relays them
//   to the agent byte for byte), from the kind-1 frame of a full snapshot the bare agent asked for;
// - rrweb: the events `@rrweb/record` emits, as JSON text, from the Meta event of
//   `record.takeFullSnapshot(true)`.
// An input is a snapshot of the page with a marker element last in <body>, optionally followed by
// a burst (a workload run in a task of the page, then an end marker, everything sent until the page
// is quiet).
//
// Applying (the agent's side, one page per engine, 1700×1150, same Content Security Policy as the
// agent desktop, the replica iframe 1024×768 at scale 1 for both):
// - ours: the real viewer (`createViewer` of web/packages/viewer, bundled by esbuild as the agent
//   desktop's bundle is, with a resource token as the desktop gives it) fed each frame with
//   `handleFrame(ArrayBuffer)`, as the desktop's WebSocket handler does: decompression,
//   `JSON.parse`, rebuild / applyOps into the sandboxed iframe;
// - rrweb: `new rrweb.Replayer([], { liveMode: true, … })` of the `rrweb` package (its UMD bundle),
//   `startLive()`, then per event `JSON.parse` and `addEvent`, each event stamped with the time it is
//   given (as a live stream's events arrive; recorded timestamps would replay the recorded pace, or
//   take the replayer's synchronous path, which in live mode applies mutations to its virtual DOM
//   without flushing them into the iframe).
// - floor ("replica alone", replay-floor.ts): the customer's final DOM as markup into the same
//   kind of replica iframe (`document.write` up to <body>, `innerHTML` for <body>'s content; a
//   burst: its changes applied as the fewest DOM calls and `insertAdjacentHTML`s), what no
//   replayer can go below.
// Done when the marker is in the replica's document; then the replica's style and layout are
// forced (`getBoundingClientRect` of the marker) and the next animation frame is let render.

import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../minify.mjs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RRWEB_DIST, serve, type StaticSite } from '../fidelity/sites';
import { rrwebEvents, type Customer } from './engines';
import { floorNow, keepFloorStart, type FloorChange, type FloorTree } from './replay-floor';

const here = path.dirname(fileURLToPath(import.meta.url));

export type ReplayEngine = 'ours' | 'rrweb';
/** Who applies an input on the agent's side: the two engines, and the floor (replay-floor.ts). */
export type AgentEngine = ReplayEngine | 'floor';

/** What one engine's agent is given: `before` (applied first, not measured) and `measured`. */
export interface EngineInput {
  /** Ours: binary frames, base64. rrweb: events, JSON text. Floor: the page's markup; a burst's `measured`: its changes, JSON text. */
  before: string[];
  measured: string[];
  /** Elements under <body> of the customer's page once everything was sent (service nodes and scripts not counted). */
  elements: number;
  /** Bytes of `measured` as the agent receives it (ours: frames; rrweb: JSON text, UTF-16 code units). */
  bytes: number;
}

export interface ReplayInput {
  label: string;
  /** Present in the replica once `before` is applied (absent: nothing before). */
  beforeMarker: string | null;
  /** Present in the replica once `measured` is applied. */
  marker: string;
  ours: EngineInput;
  rrweb: EngineInput;
  floor: EngineInput;
}

/** The Content Security Policy of the agent desktop (crates/server/src/http/assets.rs, `APP_CSP`). */
const AGENT_CSP =
  "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; img-src 'self' data:; " +
  "font-src 'self' data:; style-src 'self' 'unsafe-inline'; media-src 'self' data:; connect-src 'self'; frame-src 'self'";

/** The version of the `rrweb` package whose `Replayer` is measured. */
export async function rrwebVersion(): Promise<string> {
  return (JSON.parse(await readFile(path.join(RRWEB_DIST, '../package.json'), 'utf8')) as { version: string }).version;
}

/** The viewer bundled for the browser (minified as `web/dist/agent/agent.js`, or readable for profiles). */
export async function bundleViewer(readable: boolean): Promise<string> {
  const out = await esbuild.build({
    ...bundleOptions,
    entryPoints: [path.join(here, 'replay-viewer.ts')],
    minify: !readable,
    write: false,
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild wrote no viewer bundle');
  return file.text;
}

/**
 * The agent's pages: `/ours.html` (the minified viewer), `/ours-readable.html` (the readable one,
 * for CPU profiles) and `/rrweb.html` (rrweb's UMD bundle and its stylesheet), all with the agent
 * desktop's CSP.
 */
export async function startAgentSite(): Promise<StaticSite> {
  const files = new Map<string, { type: string; body: string | Buffer }>();
  const page = (title: string, head: string, body: string) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>html,body{margin:0;padding:0;background:#fff}#container{width:1100px;height:800px}#player{position:absolute;left:0;top:0}#player iframe{border:0;display:block}</style>` +
    `${head}</head><body>${body}</body></html>`;
  files.set('/viewer.js', { type: 'text/javascript', body: await bundleViewer(false) });
  files.set('/viewer-readable.js', { type: 'text/javascript', body: await bundleViewer(true) });
  files.set('/rrweb.js', { type: 'text/javascript', body: await readFile(path.join(RRWEB_DIST, 'rrweb.umd.min.cjs')) });
  files.set('/rrweb.css', { type: 'text/css', body: await readFile(path.join(RRWEB_DIST, 'style.css')) });
  files.set('/ours.html', { type: 'text/html', body: page('viewer', '<script src="/viewer.js"></script>', '<div id="container"></div>') });
  files.set('/ours-readable.html', { type: 'text/html', body: page('viewer', '<script src="/viewer-readable.js"></script>', '<div id="container"></div>') });
  files.set('/floor.html', { type: 'text/html', body: page('replica alone', '', '<div id="container"></div>') });
  files.set('/rrweb.html', {
    type: 'text/html',
    body: page('rrweb', '<link rel="stylesheet" href="/rrweb.css"><script src="/rrweb.js"></script>', '<div id="player"></div>'),
  });
  return serve(async (req, res) => {
    const f = files.get(new URL(req.url ?? '/', 'http://site.invalid').pathname);
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': `${f.type}; charset=utf-8`, 'cache-control': 'no-store', 'content-security-policy': AGENT_CSP }).end(f.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Recording on the customer's page

type KeeperWindow = Window & { __replayFrames?: Uint8Array[] };

/** Installed in our customer's page: keeps a copy of every binary DOM frame the page sends. */
function keepFrames(): void {
  const w = window as KeeperWindow;
  if (w.__replayFrames) return;
  w.__replayFrames = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const u = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (u[1] === 1 || u[1] === 2) w.__replayFrames?.push(u.slice());
    }
    return send.call(this, data);
  };
}

/** Elements under the page's <body>, without our service elements (never sent) and scripts. */
function countElements(): number {
  let n = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.localName !== 'script' && el.closest('[data-gcb-service-node]') === null) n++;
  }
  return n;
}

/** Adds `<i id=marker>` last in <body> (a change the page sends like any other). */
function addMarker(id: string): void {
  const el = document.createElement('i');
  el.id = id;
  el.textContent = '.';
  document.body.append(el);
}

/** Our frames kept so far, from index `from`, as base64. */
function keptFrames(page: Page, from: number): Promise<string[]> {
  return page.evaluate((f) => {
    const out: string[] = [];
    for (const u of (window as KeeperWindow).__replayFrames?.slice(f) ?? []) {
      let s = '';
      for (let k = 0; k < u.length; k += 0x8000) s += String.fromCharCode.apply(null, Array.from(u.subarray(k, k + 0x8000)));
      out.push(btoa(s));
    }
    return out;
  }, from);
}

const keptCount = (page: Page) => page.evaluate(() => (window as KeeperWindow).__replayFrames?.length ?? 0);

/** What one customer sent: the snapshot part (from its first frame / Meta event) and the burst part. */
interface Recorded {
  snapshot: string[];
  burst: string[];
  elements: number;
  /** Our customer's page only: the floor's input (replay-floor.ts). */
  floor: EngineInput | null;
}

/**
 * Records, on `customer`'s current page: a marker added, a full snapshot, and when `workload` is
 * given, the workload run in a task of the page followed by `endMarker`. `workload` is the source
 * of a function run in the page.
 */
export async function record(customer: Customer, startMarker: string, workload: string | null, endMarker: string): Promise<Recorded> {
  const page = customer.page;
  await page.evaluate(addMarker, startMarker);
  await customer.quiet(300, 60_000);
  let snapshot: string[];
  let burst: string[] = [];
  let floor: EngineInput | null = null;
  if (customer.engine === 'ours') {
    const start = await keepFloorStart(page);
    floor = { before: [], measured: start.markup, elements: start.elements, bytes: Buffer.byteLength(start.markup.join('')) };
    await page.evaluate(keepFrames);
    const from = await keptCount(page);
    await customer.fullSnapshot();
    await customer.quiet(300, 120_000);
    const mid = await keptCount(page);
    const frames = await keptFrames(page, from);
    // From the full snapshot on (a batch sent before it belongs to the page the agent replaces).
    const first = frames.findIndex((b) => Buffer.from(b, 'base64')[1] === 1);
    if (first < 0) throw new Error('ours: no full snapshot frame was sent');
    snapshot = frames.slice(first);
    if (workload !== null) {
      await runWorkload(page, workload, endMarker);
      await customer.quiet(500, 120_000);
      burst = await keptFrames(page, mid);
      const end = await floorNow(page, true);
      const changes = JSON.stringify(end.changes);
      floor = { before: start.markup, measured: [changes], elements: end.elements, bytes: Buffer.byteLength(changes) };
    }
  } else {
    // `fullSnapshot` forgets the events emitted so far, then takes the snapshot.
    await customer.fullSnapshot();
    await customer.quiet(300, 120_000);
    const events = await rrwebEvents(customer);
    const first = events.findIndex((t) => (JSON.parse(t) as { type: number }).type === 4);
    if (first < 0) throw new Error('rrweb: no Meta event was emitted');
    snapshot = events.slice(first);
    if (workload !== null) {
      const mid = events.length;
      await runWorkload(page, workload, endMarker);
      await customer.quiet(500, 120_000);
      burst = (await rrwebEvents(customer)).slice(mid);
    }
  }
  if (workload !== null && burst.length === 0) throw new Error(`${customer.engine}: the workload sent nothing`);
  return { snapshot, burst, elements: await page.evaluate(countElements), floor };
}

/** Runs `workload` (a function's source; may return a promise) in a task of the page, then adds `endMarker`. */
async function runWorkload(page: Page, workload: string, endMarker: string): Promise<void> {
  await page.evaluate(
    `new Promise((resolve, reject) => setTimeout(() => { Promise.resolve((${workload})()).then(() => { ` +
      `const el = document.createElement('i'); el.id = ${JSON.stringify(endMarker)}; el.textContent = '.'; document.body.append(el); resolve(); }, reject); }, 0))`,
  );
}

/** The UTF-8 size of base64 frames, or the length of JSON texts. */
export function inputBytes(engine: ReplayEngine, items: string[]): number {
  return items.reduce((s, x) => s + (engine === 'ours' ? Buffer.from(x, 'base64').byteLength : Buffer.byteLength(x)), 0);
}

// ---------------------------------------------------------------------------------------------
// Applying on the agent's page

/** A floor change with its nodes found in the replica (before the measurement). */
type ResolvedChange =
  | { kind: 'attributes'; element: Element; set: Array<[string, string]>; remove: string[] }
  | { kind: 'text'; node: CharacterData; data: string }
  | { kind: 'remove'; node: Node }
  | { kind: 'insert'; parent: Element; before: Node | null; insert: Array<string | FloorTree> };

interface AgentWindow extends Window {
  __inputs: { before: Array<ArrayBuffer | string>; measured: Array<ArrayBuffer | string> };
  __errors: string[];
  /** The floor's replica iframe, and a burst's changes once resolved (replay-floor.ts). */
  __floorFrame?: HTMLIFrameElement;
  __floorChanges?: ResolvedChange[];
  /** The floor's <body> through `document.write` instead of `innerHTML` (BENCH_FLOOR=write). */
  __floorWrite?: boolean;
  __viewer?: { frame: HTMLIFrameElement; handleFrame(b: ArrayBuffer): void; destroy(): void };
  __benchCreateViewer?: (o: object) => AgentWindow['__viewer'];
  __replayer?: { iframe: HTMLIFrameElement; addEvent(e: unknown): void; startLive(): void; destroy(): void };
  rrweb?: { Replayer: new (events: unknown[], config: object) => NonNullable<AgentWindow['__replayer']> };
}

export interface Applied {
  /** Main-thread task time (CDP `TaskDuration`, ms). */
  cpu: number;
  /** Wall clock from the first item given to the marker found (ms). */
  applied: number;
  /** … and to the end of the next rendered frame (ms). */
  rendered: number;
}

export interface Agent {
  engine: AgentEngine;
  page: Page;
  cdp: CDPSession;
  /** Gives the page an input (decoded from base64 for ours, outside any measurement). */
  load(input: EngineInput): Promise<void>;
  /** A new viewer / replayer (the previous one destroyed), garbage collected, settled. */
  fresh(): Promise<void>;
  /** Applies `before` (when any) until `marker`, not measured. */
  prepare(marker: string, timeoutMs: number): Promise<void>;
  /** Applies `measured` until `marker`, measured. */
  measure(marker: string, timeoutMs: number): Promise<Applied>;
  /** Elements under the replica's <body>. */
  elements(): Promise<number>;
  close(): Promise<void>;
}

async function taskTime(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const m = metrics.find((x) => x.name === 'TaskDuration');
  if (!m) throw new Error('no TaskDuration metric');
  return m.value * 1000;
}

/**
 * In the agent's page: gives the `part` items to the engine in one task, then waits (each
 * animation frame) for `marker` in the replica, forces its style and layout, lets the next frame
 * render, and resolves with the times, or with what went wrong (the marker did not come within `timeout` ms, an exception).
 */
function applyInPage({ engine, part, marker, timeout }: { engine: AgentEngine; part: 'before' | 'measured'; marker: string; timeout: number }) {
  return new Promise<{ applied: number; rendered: number } | string>((resolve) => {
    setTimeout(() => {
      try {
        const w = window as unknown as AgentWindow;
        const t0 = performance.now();
        if (engine === 'ours') {
          for (const b of w.__inputs[part]) w.__viewer?.handleFrame(b as ArrayBuffer);
        } else if (engine === 'floor') {
          const doc = w.__floorFrame?.contentDocument;
          if (!doc) throw new Error('no floor replica');
          if (part === 'measured' && w.__floorChanges) {
            // A node the parser would not give back from markup, built by DOM calls.
            const build = (t: FloorTree): Node => {
              if ('text' in t) return doc.createTextNode(t.text);
              if ('comment' in t) return doc.createComment(t.comment);
              const el = t.ns === null ? doc.createElementNS(null, t.name) : doc.createElementNS(t.ns, t.name);
              for (const [name, value] of t.attributes) el.setAttribute(name, value);
              for (const child of t.children) el.appendChild(build(child));
              return el;
            };
            // A burst: the fewest DOM calls from the snapshot's DOM to the final one.
            for (const c of w.__floorChanges) {
              if (c.kind === 'attributes') {
                for (const [name, value] of c.set) c.element.setAttribute(name, value);
                for (const name of c.remove) c.element.removeAttribute(name);
              } else if (c.kind === 'text') c.node.data = c.data;
              else if (c.kind === 'remove') c.node.parentNode?.removeChild(c.node);
              else {
                for (const piece of c.insert) {
                  if (typeof piece !== 'string') c.parent.insertBefore(build(piece), c.before);
                  else if (c.before === null) c.parent.insertAdjacentHTML('beforeend', piece);
                  else if (c.before.nodeType === Node.ELEMENT_NODE) (c.before as Element).insertAdjacentHTML('beforebegin', piece);
                  else {
                    const range = doc.createRange();
                    range.selectNodeContents(c.parent);
                    c.parent.insertBefore(range.createContextualFragment(piece), c.before);
                  }
                }
              }
            }
          } else {
            // A page: up to <body> through the document's parser (left open, as both engines leave
            // theirs), <body>'s content through the fragment parser (the cheaper: BENCH_FLOOR=write to compare).
            const [shell, content] = w.__inputs[part] as [string, string];
            doc.open();
            doc.write(shell);
            if (w.__floorWrite) doc.write(content);
            else (doc.body as HTMLElement).innerHTML = content;
          }
        } else {
          for (const text of w.__inputs[part]) {
            const event = JSON.parse(text as string) as { timestamp: number };
            event.timestamp = Date.now();
            w.__replayer?.addEvent(event);
          }
        }
        const check = () => {
          try {
            const frame = engine === 'ours' ? w.__viewer?.frame : engine === 'floor' ? w.__floorFrame : w.__replayer?.iframe;
            const found = frame?.contentDocument?.getElementById(marker);
            if (w.__errors.length) resolve(w.__errors.join('; '));
            else if (found) {
              found.getBoundingClientRect();
              const applied = performance.now() - t0;
              requestAnimationFrame(() => setTimeout(() => resolve({ applied, rendered: performance.now() - t0 }), 0));
            } else if (performance.now() - t0 > timeout) resolve(`the replica never showed #${marker} (${timeout} ms)`);
            else requestAnimationFrame(check);
          } catch (error) {
            resolve(String(error));
          }
        };
        requestAnimationFrame(check);
      } catch (error) {
        resolve(String(error));
      }
    }, 0);
  });
}

/**
 * In the floor's agent page, once a burst's snapshot is in its replica: the burst's changes
 * (`__inputs.measured`, JSON text) with their nodes found by path, as a replayer's id → node map
 * finds them; throws when a path does not lead to a node of the snapshot.
 */
function resolveFloorChanges(): void {
  const w = window as unknown as AgentWindow;
  const root = w.__floorFrame?.contentDocument?.documentElement;
  if (!root) throw new Error('floor: no replica document');
  const changes = JSON.parse(w.__inputs.measured[0] as string) as FloorChange[];
  const at = (path: number[]): Node => {
    let n: Node = root;
    for (const k of path) {
      const c = n.childNodes[k];
      if (!c) throw new Error(`floor: no node at ${path.join('/')}`);
      n = c;
    }
    return n;
  };
  w.__floorChanges = changes.map((c): ResolvedChange => {
    const n = at(c.path);
    if (c.kind === 'attributes') return { kind: 'attributes', element: n as Element, set: c.set, remove: c.remove };
    if (c.kind === 'text') return { kind: 'text', node: n as CharacterData, data: c.data };
    if (c.kind === 'remove') return { kind: 'remove', node: n };
    return { kind: 'insert', parent: n as Element, before: c.before === null ? null : at(c.before), insert: c.insert };
  });
}

export async function openAgent(browser: Browser, site: StaticSite, engine: AgentEngine, log: (line: string) => void, readable = false): Promise<Agent> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1700, height: 1150 }, deviceScaleFactor: 1 });
  context.on('weberror', (e) => log(`agent(${engine}) uncaught: ${String(e.error())}`));
  context.on('console', (m) => {
    if (m.type() === 'error') log(`agent(${engine}) console.error: ${m.text()}`);
  });
  const page = await context.newPage();
  const file = engine === 'rrweb' ? 'rrweb.html' : engine === 'floor' ? 'floor.html' : readable ? 'ours-readable.html' : 'ours.html';
  const response = await page.goto(`${site.origin}/${file}`);
  if (!response?.ok()) throw new Error(`agent page ${file}: HTTP ${response?.status()}`);
  await page.evaluate((write) => {
    (window as unknown as AgentWindow).__errors = [];
    (window as unknown as AgentWindow).__floorWrite = write;
  }, process.env.BENCH_FLOOR === 'write');
  const cdp = await context.newCDPSession(page);
  // Thread CPU time, as the customer-side benchmarks (engines.ts).
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('HeapProfiler.enable');
  const run = async (part: 'before' | 'measured', marker: string, timeoutMs: number) => {
    const r = await page.evaluate(applyInPage, { engine, part, marker, timeout: timeoutMs });
    const errors = await page.evaluate(() => (window as unknown as AgentWindow).__errors.splice(0));
    if (errors.length) throw new Error(`agent(${engine}): ${errors.join('; ')}`);
    if (typeof r === 'string') throw new Error(`agent(${engine}): ${r}`);
    return r;
  };
  return {
    engine,
    page,
    cdp,
    load: (input) =>
      page.evaluate(
        ({ engine, before, measured }: { engine: AgentEngine; before: string[]; measured: string[] }) => {
          const decode = (b64: string): ArrayBuffer => {
            const s = atob(b64);
            const u = new Uint8Array(s.length);
            for (let k = 0; k < s.length; k++) u[k] = s.charCodeAt(k);
            return u.buffer;
          };
          (window as unknown as AgentWindow).__inputs =
            engine === 'ours' ? { before: before.map(decode), measured: measured.map(decode) } : { before, measured };
        },
        { engine, before: input.before, measured: input.measured },
      ),
    fresh: async () => {
      await page.evaluate(
        ({ engine }) =>
          new Promise<void>((resolve) => {
            const w = window as unknown as AgentWindow;
            if (engine === 'ours') {
              w.__viewer?.destroy();
              const container = document.getElementById('container');
              if (!container || !w.__benchCreateViewer) throw new Error('no viewer bundle in the page');
              // As the agent desktop (apps/agent/src/main.ts): the replica's resources through the
              // session's resource proxy (the token is not a live one: the synthetic pages load nothing).
              w.__viewer = w.__benchCreateViewer({
                container,
                resourceToken: '123456789',
                requestSnapshot: () => w.__errors.push('the viewer asked for a snapshot'),
                onError: (msg: string, err?: unknown) => w.__errors.push(`${msg}${err ? `: ${String(err)}` : ''}`),
              });
            } else if (engine === 'rrweb') {
              w.__replayer?.destroy();
              const root = document.getElementById('player');
              if (!root || !w.rrweb) throw new Error('no rrweb bundle in the page');
              root.replaceChildren();
              // As the fidelity suite's replay page (web/fidelity/replay.html), rrweb's documented live mode.
              w.__replayer = new w.rrweb.Replayer([], { root, liveMode: true, mouseTail: false, showWarning: false });
              w.__replayer.startLive();
            } else {
              // The same kind of replica as the viewer's: a sandboxed about:blank iframe of the customer's window size.
              w.__floorFrame?.remove();
              w.__floorChanges = undefined;
              const container = document.getElementById('container');
              if (!container) throw new Error('no container in the page');
              const frame = document.createElement('iframe');
              frame.setAttribute('sandbox', 'allow-same-origin');
              frame.setAttribute('src', 'about:blank');
              frame.style.cssText = 'border:0;display:block;width:1024px;height:768px;background:#fff;';
              container.appendChild(frame);
              w.__floorFrame = frame;
            }
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          }),
        { engine },
      );
      await cdp.send('HeapProfiler.collectGarbage');
    },
    prepare: async (marker, timeoutMs) => {
      await run('before', marker, timeoutMs);
      if (engine === 'floor') await page.evaluate(resolveFloorChanges);
      await cdp.send('HeapProfiler.collectGarbage');
    },
    measure: async (marker, timeoutMs) => {
      const cpu0 = await taskTime(cdp);
      const r = await run('measured', marker, timeoutMs);
      const cpu1 = await taskTime(cdp);
      return { cpu: cpu1 - cpu0, ...r };
    },
    elements: () =>
      page.evaluate(({ engine }) => {
        const w = window as unknown as AgentWindow;
        const frame = engine === 'ours' ? w.__viewer?.frame : engine === 'floor' ? w.__floorFrame : w.__replayer?.iframe;
        return frame?.contentDocument?.body?.getElementsByTagName('*').length ?? -1;
      }, { engine }),
    close: () => context.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Profiles

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function of a CPU profile, the top `n`, as table rows (share of the busy time). */
export function topSelfTime(profile: CpuProfile, n: number, bundleName: string): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    const f = node.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '').replace('viewer-readable.js', bundleName) : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  let busy = 0;
  for (const [k, us] of byFn) if (k !== '(idle)' && k !== '(program)') busy += us;
  return [...byFn.entries()]
    .filter(([k]) => k !== '(idle)' && k !== '(program)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(1)} ms | ${((100 * us) / busy).toFixed(1)} % |`);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string; data?: { frames?: Array<{ processId?: number; url?: string }> } };
}

/**
 * Runs `body` under a Chrome trace (`devtools.timeline`) and returns, for the main thread of the
 * renderer that shows `url`, the time (ms) inside each kind of event (inclusive: a `Layout` inside
 * a `FunctionCall` counts in both), largest first.
 */
export async function traceMainThread(cdp: CDPSession, url: string, body: () => Promise<unknown>): Promise<Array<[string, number]>> {
  const events: TraceEvent[] = [];
  const onData = (d: { value: unknown[] }) => {
    events.push(...(d.value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', onData);
  try {
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink', transferMode: 'ReportEvents' });
    await body();
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
  } finally {
    cdp.off('Tracing.dataCollected', onData);
  }
  const started = events.find((e) => e.name === 'TracingStartedInBrowser');
  const pid = started?.args?.data?.frames?.find((f) => f.url?.startsWith(url))?.processId;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain');
  if (pid === undefined || !main) return [];
  const totals = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== pid || e.tid !== main.tid || e.ph !== 'X' || e.dur === undefined) continue;
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.tdur ?? e.dur) / 1000);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}
