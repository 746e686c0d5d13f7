// The browser benchmark (issue 7, "Customer side"): our SDK against rrweb's recorder on the same
// pages in the same run, interleaved (ours, rrweb, ours, rrweb, …), median of BENCH_RUNS runs.
// Each test writes its table to bench-results/ (results.ts); the report is written afterwards
// (global-teardown.ts). A test fails only when the benchmark cannot measure, never on a figure.
//
//   cd web && npx playwright test -c bench/playwright.config.ts           everything
//   BENCH_SMOKE=1 …                                                       one small page, one run each
//   BENCH_RUNS=3 BENCH_SESSION_SECONDS=30 …                               fewer runs, shorter session
//   BENCH_WORKLOAD_RUNS=5 BENCH_WORKLOAD_WARMUP=0 BENCH_WORKLOAD_ORDER=fixed …  the dom-mutation rows as before
//                                                                         (default: 1 warm-up run, 11 runs, alternating order)

import { test as base, type Browser } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { pack } from '@rrweb/packer/pack';
import { repoRoot, startCobrowseServer, type CobrowseServer } from '../e2e/harness/server';
import { snippetConfig, startSites, type FidelitySites } from '../fidelity/sites';
import { startWireCounter } from './wire';
import { openOurs as openMirror } from '../fidelity/mirror';
import { REPLICA_SELECTOR } from '../e2e/harness/ui';
import { openEngine, openHarnessFloor, rrwebEvents, RRWEB_PACK_BUNDLE, RRWEB_RECORD_BUNDLE, type Customer, type EngineName, type EngineOptions } from './engines';
import { installWorkloadLibrary, runStress, startBenchSite, stressSignature, WORKLOADS } from './pages';
import { openBare, pollFor, timeWorkload } from './floor';
import { median, writeTable, type Row } from './results';
import type { StaticSite } from '../fidelity/sites';

const SMOKE = !!process.env.BENCH_SMOKE;
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 5));
const SESSION_SECONDS = Number(process.env.BENCH_SESSION_SECONDS ?? (SMOKE ? 2 : 60));
const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : SMOKE ? [1000] : [10_000, 50_000, 150_000];
const ENGINES: EngineName[] = ['ours', 'rrweb'];
/** BENCH_WORKLOADS: the ids of the dom-mutation workloads to run (comma separated), default all (smoke: the first). */
const WORKLOAD_IDS = process.env.BENCH_WORKLOADS?.split(',') ?? null;
/**
 * The dom-mutation workloads' runs per engine: they are short (tens of ms, a few seconds a row), and
 * single runs on a shared two-core machine range over 2×, so they take more runs than the rest:
 * BENCH_WORKLOAD_RUNS, default 11 (at least BENCH_RUNS).
 */
const WORKLOAD_RUNS = Number(process.env.BENCH_WORKLOAD_RUNS ?? (SMOKE ? 1 : Math.max(RUNS, 11)));
/**
 * Runs of each workload done first and not counted, for both engines and the workload alone: the
 * first run of a workload on a page runs code neither recorder has run yet (BENCH_WORKLOAD_WARMUP,
 * default 1).
 */
const WORKLOAD_WARMUP = Number(process.env.BENCH_WORKLOAD_WARMUP ?? (SMOKE ? 0 : 1));
/** BENCH_WORKLOAD_ORDER=fixed: ours before rrweb in every run (as before), instead of alternating. */
const WORKLOAD_FIXED_ORDER = process.env.BENCH_WORKLOAD_ORDER === 'fixed';

interface Env {
  bench: StaticSite;
  sites: FidelitySites | null;
  cobrowse: CobrowseServer;
}

const test = base.extend<object, { env: Env }>({
  env: [
    async ({}, use) => {
      const bench = await startBenchSite();
      // The corpus sites (their apps are built at start) only for the full run.
      const sites = SMOKE ? null : await startSites();
      const cobrowse = await startCobrowseServer([bench.origin, ...Object.values(sites?.origins ?? {})]);
      snippetConfig.cobrowseUrl = cobrowse.cobrowseUrl;
      try {
        await use({ bench, sites, cobrowse });
      } finally {
        await cobrowse.stop();
        await sites?.stop();
        await bench.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

interface BenchPage {
  label: string;
  url: (env: Env) => string;
}

const synthetic = (n: number): BenchPage => ({ label: `synthetic, ${n.toLocaleString('en')} nodes`, url: (env) => `${env.bench.origin}/synthetic/${n}.html` });
const corpusPage = (site: string, p: string, label: string): BenchPage => ({
  label,
  url: (env) => {
    const origin = site === 'demo' ? env.cobrowse.origin : env.sites?.origins[site];
    if (!origin) throw new Error(`no site ${site}`);
    return origin + p;
  },
});

/** BENCH_PAGES: only the snapshot pages whose label contains one of these (comma separated), default all. */
const PAGE_FILTER = process.env.BENCH_PAGES?.split(',') ?? null;
const SNAPSHOT_PAGES: BenchPage[] = [
  ...SIZES.map(synthetic),
  ...(SMOKE
    ? []
    : [
        corpusPage('demo', '/demo/index.html', 'corpus: demo shop'),
        corpusPage('apps', '/bootstrap-docs.html', 'corpus: Bootstrap docs'),
        corpusPage('apps', '/docs-markdown.html', 'corpus: Markdown docs (KaTeX, highlight.js)'),
        corpusPage('rrweb-snapshot', '/html/about-mozilla.html', 'corpus: about-mozilla'),
      ]),
].filter((p) => PAGE_FILTER === null || PAGE_FILTER.some((f) => p.label.includes(f)));

function logger(): (line: string) => void {
  return (line) => process.stdout.write(`${line}\n`);
}

function options(browser: Browser, env: Env, url: string, extra: Partial<EngineOptions> = {}): EngineOptions {
  return { browser, cobrowse: env.cobrowse, url, log: logger(), ...extra };
}

/** Opens both engines on `url`, ours first; closes both whatever happens in `body`. */
async function both<T>(browser: Browser, env: Env, url: string, body: (c: Record<EngineName, Customer>) => Promise<T>): Promise<T> {
  const opened: Partial<Record<EngineName, Customer>> = {};
  try {
    for (const e of ENGINES) opened[e] = await openEngine(e, options(browser, env, url));
    return await body(opened as Record<EngineName, Customer>);
  } finally {
    for (const c of Object.values(opened)) await c.close();
  }
}

test('full snapshot: main-thread time and longest task', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 120_000 : 3_600_000);
  // Two measurements per page, each interleaved (ours, rrweb, ours, rrweb, …):
  // - first: the first snapshot of a freshly loaded page, what a customer pays on every page load
  //   and navigation during a session (and the issue's baseline, rrweb's `record()`);
  // - late: a snapshot on a page already recorded once (an agent joining a running capture, or
  //   asking for a new snapshot), where a capture may reuse what it learnt the first time.
  type Kind = 'first' | 'late';
  const rows: Record<Kind, Row[]> = { first: [], late: [] };
  const longest: Record<Kind, Row[]> = { first: [], late: [] };
  for (const p of SNAPSHOT_PAGES) {
    await both(browser, env, p.url(env), async (c) => {
      const time = { first: { ours: [] as number[], rrweb: [] as number[] }, late: { ours: [] as number[], rrweb: [] as number[] } };
      const tasks = { first: { ours: [] as number[], rrweb: [] as number[] }, late: { ours: [] as number[], rrweb: [] as number[] } };
      // The harness alone (no recorder, the same wait), interleaved with the late joiners' runs.
      const floor: number[] = [];
      const bare = await openHarnessFloor(options(browser, env, p.url(env)));
      try {
        // Late joiners first: the first-snapshot runs reload the pages.
        for (const kind of ['late', 'first'] as const) {
          for (let run = 0; run < RUNS; run++) {
            for (const e of ENGINES) {
              const customer = c[e];
              await customer.quiet(300, 60_000);
              // The page waits for the snapshot and the quiet after it itself: the runner evaluates
              // in the page once during the measurement, not every 25–50 ms (engines.ts).
              const snapshot = kind === 'late' ? await customer.prepareSnapshot(300, 120_000) : await customer.prepareFirstSnapshot(300, 120_000);
              const t0 = await customer.now();
              const cpu0 = await customer.taskTime();
              await snapshot();
              const cpu1 = await customer.taskTime();
              const lt = await customer.longTasks(t0);
              time[kind][e].push(cpu1 - cpu0);
              tasks[kind][e].push(Math.max(0, ...lt));
            }
            if (kind === 'late') {
              await pollFor(bare.page, 300);
              const nothing = await bare.prepareSnapshot(300, 120_000);
              const cpu0 = await bare.taskTime();
              await nothing();
              floor.push((await bare.taskTime()) - cpu0);
            }
          }
          const f = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
          process.stdout.write(`snapshot (${kind}) ${p.label}: ours ${f(time[kind].ours)} ms, rrweb ${f(time[kind].rrweb)} ms, harness alone ${f(floor)} ms\n`);
          const [o, r, h] = [median(time[kind].ours), median(time[kind].rrweb), median(floor)];
          const note = `harness alone ${h.toFixed(1)} ms; recorder's own ${(o - h).toFixed(1)} vs ${(r - h).toFixed(1)} ms (${((o - h) / (r - h)).toFixed(2)}×)`;
          rows[kind].push({ figure: p.label, unit: 'ms', ours: o, rrweb: r, target: 0.7, runs: RUNS, note });
          longest[kind].push({
            figure: p.label,
            unit: 'ms',
            ours: median(tasks[kind].ours),
            rrweb: median(tasks[kind].rrweb),
            target: 50,
            absolute: true,
            runs: RUNS,
          });
        }
      } finally {
        await bare.close();
      }
    });
  }
  const measured =
    'Main-thread task time of the customer\'s renderer (CDP `Performance.getMetrics` `TaskDuration`, thread CPU time) from the request until the page has sent nothing for 300 ms. ' +
    'The page itself waits for the snapshot and the quiet after it (a hook on its sends and a timer; one CDP evaluation in the page for each engine during the measurement, no polling by the runner). ' +
    '"Harness alone": the same measurement on the same page without any recorder (our snippet blocked), a message recorded in a task of the page in place of a snapshot, interleaved with the late joiners\' runs: what the window costs whatever the recorder does (the CDP evaluation that waits, the quiet timer, the page\'s own timers); on small pages it is a large part of both figures, so the note gives each recorder\'s own time (its figure minus the harness alone) and their ratio. ';
  await writeTable('1-snapshot', {
    order: 1,
    title: 'Full snapshot: main-thread time, first snapshot of a page',
    how:
      measured +
      'The first snapshot of a freshly loaded page, what a customer pays on every page load and navigation during a session (the issue\'s baseline, rrweb `record()`): each run reloads the page (both engines the same way) and waits until its main thread has settled (under 2 ms of task time in 300 ms). ' +
      'Ours: the real path of a navigation in a session: the SDK resumes the tab\'s session on the new page, and the server, an agent being attached, sends `snapshotRequest {reason: "customerReconnected"}`; the page holds that message until the measurement starts and then hands it to the SDK in a task of its own, which starts the capture (its observers) and serializes, encodes, compresses and sends the kind-1 frame. ' +
      'rrweb: its bundle is evaluated at the page\'s start (outside the window, as our SDK\'s load is), and `record({ emit })` is called in a task of the page after load: its setup (observers) and its first full snapshot, with an emit that turns each event into JSON text (the least a transport does).',
    rows: rows.first,
  });
  await writeTable('1b-snapshot-late-joiner', {
    order: 1.5,
    title: "Full snapshot: main-thread time, a late joiner's snapshot",
    how:
      measured +
      "A snapshot on a page already recorded once (an agent joining, or asking again, while the capture runs): the capture may reuse what its first snapshot learnt (a <link> sheet's text, which elements scroll, a <style>'s rule count), rrweb has nothing of the kind. " +
      'Ours: a bare agent socket sends `requestSnapshot`; the SDK serializes, encodes, compresses and sends the kind-1 frame. ' +
      'rrweb: `record.takeFullSnapshot(true)` in a task of the page, on a page recording since its start, with the same emit.',
    rows: rows.late,
  });
  const longestHow =
    'The longest task (wall clock) during the same snapshots, from a `longtask` PerformanceObserver in the page: only tasks over 50 ms are reported, so 0 means none over 50 ms. ' +
    "Wall clock on a shared two-core machine: a task is longer than its CPU time when the main thread waits for a core (the other recorder's renderer, the server and the runner share them).";
  await writeTable('2-longest-task', {
    order: 2,
    title: 'Full snapshot: longest task, first snapshot of a page',
    how: longestHow,
    rows: longest.first,
  });
  await writeTable('2b-longest-task-late-joiner', {
    order: 2.5,
    title: "Full snapshot: longest task, a late joiner's snapshot",
    how: longestHow,
    rows: longest.late,
  });
});

test('dom-mutation workloads: workload start to last batch sent', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 60_000 : 1_800_000);
  const workloads = SMOKE ? WORKLOADS.slice(0, 1) : WORKLOADS.filter((w) => WORKLOAD_IDS === null || WORKLOAD_IDS.includes(w.id));
  const rows: Row[] = [];
  const cpuRows: Row[] = [];
  // The floor: the same workloads with no recorder (floor.ts), interleaved with the two engines.
  const bare = await openBare(browser, `${env.bench.origin}/blank.html`);
  try {
    await both(browser, env, `${env.bench.origin}/blank.html`, async (c) => {
      for (const e of ENGINES) {
        await c[e].page.evaluate(installWorkloadLibrary);
        // The same pointer for both: none over the page. Ours was left resting where the start
        // question's button was (rrweb's page never had one), and the layout after a workload
        // moves content under it: the hover changes, which ours sends and rrweb does not record.
        await c[e].page.mouse.move(-1, -1);
      }
      await bare.page.evaluate(installWorkloadLibrary);
      for (const w of workloads) {
        const time: Record<EngineName, number[]> = { ours: [], rrweb: [] };
        const cpu: Record<EngineName, number[]> = { ours: [], rrweb: [] };
        const floorTime: number[] = [];
        const floorCpu: number[] = [];
        for (let run = -WORKLOAD_WARMUP; run < WORKLOAD_RUNS; run++) {
          const counted = run >= 0;
          // Which engine goes first alternates from run to run, so that neither always runs right
          // after the other's page did its rendering and garbage collection.
          for (const e of WORKLOAD_FIXED_ORDER || run % 2 === 0 ? ENGINES : [...ENGINES].reverse()) {
            const customer = c[e];
            await customer.page.evaluate(w.setup);
            await customer.quiet(300, 60_000);
            const before = await customer.count();
            const cpu0 = await customer.taskTime();
            // In a task of the page's own, as a page's script runs.
            const t0 = await customer.page.evaluate(
              `new Promise((resolve) => setTimeout(() => { const t0 = performance.now(); (${w.run.toString()})(); resolve(t0); }, 0))`,
            );
            const last = await customer.quiet(500, 120_000);
            const cpu1 = await customer.taskTime();
            if ((await customer.count()) <= before || typeof t0 !== 'number') throw new Error(`${e} sent nothing for ${w.id}`);
            if (!counted) continue;
            time[e].push(last - t0);
            cpu[e].push(cpu1 - cpu0);
          }
          await bare.page.evaluate(w.setup);
          await pollFor(bare.page, 300);
          const cpu0 = await bare.taskTime();
          const alone = await timeWorkload(bare.page, w.run.toString());
          await pollFor(bare.page, 500);
          if (!counted) continue;
          floorTime.push(alone);
          floorCpu.push((await bare.taskTime()) - cpu0);
        }
        process.stdout.write(
          `mutations ${w.id}: ours ${time.ours.map((x) => x.toFixed(0)).join(' ')} ms, rrweb ${time.rrweb.map((x) => x.toFixed(0)).join(' ')} ms, ` +
            `workload alone ${floorTime.map((x) => x.toFixed(0)).join(' ')} ms; main thread: ours ${cpu.ours.map((x) => x.toFixed(0)).join(' ')}, ` +
            `rrweb ${cpu.rrweb.map((x) => x.toFixed(0)).join(' ')}, alone ${floorCpu.map((x) => x.toFixed(0)).join(' ')} ms\n`,
        );
        const floorNote = (floor: number, rrweb: number, ours: number) =>
          `workload alone ${floor.toFixed(1)} ms (${(floor / rrweb).toFixed(2)}× rrweb${floor > rrweb / 2 ? ': ≤ 0.5× out of reach' : ''}); ` +
          `recorder's own ${(ours - floor).toFixed(1)} vs ${(rrweb - floor).toFixed(1)} ms`;
        const row = (figures: Record<EngineName, number[]>, floor: number[], extra: string): Row => {
          const [o, r, f] = [median(figures.ours), median(figures.rrweb), median(floor)];
          return { figure: w.label, unit: 'ms', ours: o, rrweb: r, target: 0.5, runs: WORKLOAD_RUNS, note: extra + floorNote(f, r, o) };
        };
        rows.push(row(time, floorTime, ''));
        cpuRows.push(row(cpu, floorCpu, 'workload included; '));
      }
    });
  } finally {
    await bare.close();
  }
  await writeTable('3-mutations', {
    order: 3,
    title: "rrweb's dom-mutation workloads: workload start to last batch sent",
    how:
      "rrweb's benchmark workloads (its pages benchmark-dom-mutation*.html, reimplemented in web/bench/pages.ts) on a blank page. " +
      'From `performance.now()` at the workload\'s start to the last message sent (ours: `WebSocket.prototype.send` of the last frame; rrweb: its last emitted event, as JSON text), once the page has been quiet for 500 ms. No pointer over either page (ours is moved out of the page after the start question\'s click). ' +
      '"Workload alone": the same workload on the same page without any recorder (web/bench/floor.ts), from its start to its end, interleaved with the two recorders; where it is above half of rrweb\'s figure, ≤ 0.5× cannot be reached by any recorder. ' +
      `Each engine runs each workload ${WORKLOAD_WARMUP > 0 ? `${WORKLOAD_WARMUP} time${WORKLOAD_WARMUP > 1 ? 's' : ''} first, not counted (code neither recorder has run yet on that page), then ` : ''}${WORKLOAD_RUNS} times counted (more runs than the other rows: these are short, and single runs on the shared two-core machine range over 2×), ${WORKLOAD_FIXED_ORDER ? 'ours before rrweb in every run' : 'the engine that goes first alternating from run to run'}; the workload alone likewise.`,
    rows,
  });
  await writeTable('4-mutations-cpu', {
    order: 4,
    title: "rrweb's dom-mutation workloads: main-thread time",
    how:
      'The same runs: main-thread task time (CDP `TaskDuration`) from the workload\'s start until quiet, the workload\'s own DOM work included (the same for both). ' +
      '"Workload alone": the main-thread time of the page without any recorder over the same span (the workload, the rendering after it, the runner\'s polling).',
    rows: cpuRows,
  });
});

/** A scripted customer session of `seconds`: pointer moves, typing, scrolling. */
async function scriptedSession(customer: Customer, seconds: number): Promise<void> {
  const page = customer.page;
  const end = Date.now() + seconds * 1000;
  const input = page.locator('input[type=text]:visible, input:not([type]):visible, textarea:visible').first();
  let step = 0;
  while (Date.now() < end) {
    const x = 100 + ((step * 37) % 800);
    const y = 100 + Math.round(250 + 200 * Math.sin(step / 7));
    await page.mouse.move(x, y, { steps: 2 });
    if (step % 40 === 10 && (await input.count()) > 0) {
      await input.click({ timeout: 5_000 }).catch(() => {});
      await page.keyboard.type(`item ${step}`, { delay: 20 });
      await page.keyboard.press('Enter');
    }
    if (step % 40 === 25) await page.mouse.wheel(0, 300);
    if (step % 40 === 35) await page.mouse.wheel(0, -300);
    step += 1;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('bytes sent: snapshot and a scripted session', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 60_000 : 1_800_000);
  const pages: Array<{ site: string; path: string; label: string }> = [
    { site: 'demo', path: '/demo/index.html', label: 'demo shop' },
    ...(SMOKE
      ? []
      : [
          { site: 'apps', path: '/todomvc-react.html', label: 'corpus: TodoMVC (React)' },
          // A page without a text field (pointer and scrolling only); Bootstrap's docs navigate
          // away when the script presses Enter in their search field.
          { site: 'apps', path: '/docs-markdown.html', label: 'corpus: Markdown docs (KaTeX, highlight.js)' },
        ]),
  ];
  const rows: Row[] = [];
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  for (const p of pages) {
    const bytes: Record<EngineName, number> = { ours: 0, rrweb: 0 };
    let rawRrweb = 0;
    let breakdown = '';
    let rrwebCount = 0;
    for (const e of ENGINES) {
      // Ours through the counting proxy: the page (the demo shop is served by the cobrowse server)
      // or its snippet's cobrowse URL points at it, so the customer's socket goes through it.
      const wire = e === 'ours' ? await startWireCounter(env.cobrowse.origin) : null;
      const siteOrigin = p.site === 'demo' ? (wire?.origin ?? env.cobrowse.origin) : env.sites?.origins[p.site];
      if (!siteOrigin) throw new Error(`no site ${p.site}`);
      const savedSnippetUrl = snippetConfig.cobrowseUrl;
      if (wire) snippetConfig.cobrowseUrl = `${wire.origin}/cobrowse/`;
      try {
        const customer = await openEngine(e, options(browser, env, siteOrigin + p.path));
        try {
          await scriptedSession(customer, SESSION_SECONDS);
          await customer.quiet(500, 60_000);
          if (wire) {
            const sent = await customer.sent();
            const sum = (kind: number) => sent.filter((m) => m.kind === kind).reduce((s, m) => s + m.bytes, 0);
            const w = wire.count();
            // One page, one socket: a page that navigated would count several pages for us and
            // only the last for rrweb.
            if (w.sockets !== 1 || w.messages < sent.length) throw new Error(`the proxy saw ${w.sockets} customer sockets and ${w.messages} messages, the page sent ${sent.length}`);
            bytes.ours = w.payload;
            breakdown =
              `ours: ${w.messages} messages on the wire, ${w.compressed} compressed by the WebSocket (permessage-deflate ${w.deflateSockets ? 'negotiated' : 'not negotiated'}), ` +
              `${kib(w.payload)} of payload (+ ${kib(w.headers)} of frame headers, not counted); as given to send(): ` +
              `${kib(sum(0))} in ${sent.filter((m) => m.kind === 0).length} text messages (control), ${kib(sum(-1))} in ${sent.filter((m) => m.kind === -1).length} pointer moves, ` +
              `${kib(sum(1))} in ${sent.filter((m) => m.kind === 1).length} full snapshots, ${kib(sum(2))} in ${sent.filter((m) => m.kind === 2).length} batches; ` +
              // Per kind of message, inflated from the wire (wire.ts): what the bytes are spent on.
              `on the wire by kind: ${(await wire.breakdown())
                .map((k) => `${k.kind} ${k.messages}× ${kib(k.wire)} (${(k.wire / k.messages).toFixed(1)} B each, ${kib(k.raw)} before compression)`)
                .join(', ')}`;
          } else {
            const events = await rrwebEvents(customer);
            rrwebCount = events.length;
            rawRrweb = events.reduce((s, t) => s + Buffer.byteLength(t), 0);
            // pack() gives a string of byte-valued characters (zlib output) for one event.
            bytes.rrweb = events.reduce((s, t) => s + Buffer.byteLength(pack(JSON.parse(t) as Parameters<typeof pack>[0]), 'latin1'), 0);
          }
        } finally {
          await customer.close();
        }
      } finally {
        snippetConfig.cobrowseUrl = savedSnippetUrl;
        await wire?.stop();
      }
    }
    process.stdout.write(`bytes ${p.label}: ours ${bytes.ours}, rrweb ${bytes.rrweb} (${breakdown})\n`);
    rows.push({
      figure: `${p.label}: load snapshot + ${SESSION_SECONDS} s session`,
      unit: 'B',
      ours: bytes.ours,
      rrweb: bytes.rrweb,
      target: 0.5,
      runs: 1,
      note: `${breakdown}; rrweb: ${rrwebCount} events, ${kib(rawRrweb)} as JSON before packing`,
    });
  }
  await writeTable('5-bytes', {
    order: 5,
    title: 'Bytes sent: snapshot and a scripted session',
    how:
      'The page loaded and recorded, then a scripted customer session (pointer moving every 50 ms, typing into the first text field with Enter, wheel scrolls down and up). ' +
      "Ours: the payload bytes of every WebSocket frame the page's browser sent on its co-browse socket, counted on the wire by a TCP proxy in front of the server (web/bench/wire.ts): control messages, pointer and DOM frames as compressed by permessage-deflate; frame headers (2–14 bytes each) are not counted, as rrweb's figure has no transport. " +
      "Ours sends the page's `<link>` stylesheets by URL when script did not change them through the CSSOM (docs/PROTOCOL.md): the agent's replica loads them through the server's resource proxy, which fetches them from the site (the customer's page uploads one only when the site refuses the server, e.g. behind its login; the benchmark's agent is a bare socket without a replica, so nothing is requested here), so their text is not in our snapshot, while rrweb, with its defaults, inlines every stylesheet's text in its snapshot. " +
      'rrweb: every event packed one by one with `@rrweb/packer` `pack()`. One run each (the bytes hardly vary).',
    rows,
  });
});

test('bundle size, gzipped', async () => {
  const gz = async (file: string) => gzipSync(await readFile(file), { level: 9 }).byteLength / 1024;
  const js = (name: string) => path.join(repoRoot, `web/dist/cobrowse/js/${name}`);
  const ours = await gz(js('gcb.min.js'));
  const rrweb = (await gz(RRWEB_RECORD_BUNDLE)) + (await gz(RRWEB_PACK_BUNDLE));
  // The chunks (sdk/src/chunk.ts), each gzipped on its own, and when a page loads one.
  const chunks: [string, string][] = [
    ['write', 'the session\'s mode becomes Write Mode (agent input, navigation)'],
    ['resources', 'the server asks for a resource only the customer\'s browser can fetch'],
    ['de', '`lang` German'],
    ['fr', '`lang` French'],
    ['frame', 'the SDK is loaded inside a frame (there, instead of the top context\'s work)'],
    ['inspect', 'an administrator\'s inspect link (no session on that page load)'],
    ['canvas', 'the session\'s capture first finds a `<canvas>` (drawing watch and picture encoding)'],
  ];
  const sizes = new Map<string, number>();
  for (const [name] of chunks) sizes.set(name, await gz(js(`gcb-${name}.min.js`)));
  await writeTable('6-size', {
    order: 6,
    title: 'Bundle size, gzipped',
    how:
      'gzip -9 (node zlib) of `web/dist/cobrowse/js/gcb.min.js` (capture, transport, API, built-in UI, English strings) against `@rrweb/record`\'s `record.umd.min.cjs` plus `@rrweb/packer`\'s `pack.umd.min.cjs` (what a page records and packs with), each gzipped. A session in English, in Pointer Mode, without frames loads `gcb.min.js` alone; what only some sessions run is in chunks loaded beside it (below), the second row adds the one a Write Mode session loads, the third the one a session on a page with canvases loads.',
    rows: [
      { figure: 'gzipped bundle', unit: 'KiB', ours, rrweb, target: 1.0, runs: 1, note: 'what a session in English, Pointer Mode, no frames loads' },
      { figure: 'a Write Mode session: + `gcb-write.min.js`', unit: 'KiB', ours: ours + (sizes.get('write') ?? NaN), rrweb, target: 1.0, runs: 1 },
      { figure: 'a session on a page with canvases: + `gcb-canvas.min.js`', unit: 'KiB', ours: ours + (sizes.get('canvas') ?? NaN), rrweb, target: 1.0, runs: 1 },
    ],
    extra: [
      '| chunk | gzipped | loaded when |',
      '|---|---|---|',
      ...chunks.map(([name, when]) => `| \`gcb-${name}.min.js\` | ${(sizes.get(name) ?? NaN).toFixed(1)} KiB | ${when} |`),
    ],
  });
});

/** Self time per function of a CPU profile (CDP `Profiler`), the top `n`. */
function topSelfTime(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] }, n: number): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    // The readable build is served at the minified bundle's URL (engines.ts, `readableSdk`).
    const file = f.url ? f.url.replace(/^.*\//, '').replace('gcb.min.js', 'gcb.js') : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  // Shares of the busy time: the page idles while it waits for the request and after the send.
  const busy = total - (byFn.get('(idle)') ?? 0) - (byFn.get('(program)') ?? 0);
  return [...byFn.entries()]
    .filter(([k]) => k !== '(idle)' && k !== '(program)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `| ${k.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(1)} ms | ${((100 * us) / busy).toFixed(1)} % |`);
}

test('CPU profile of our full snapshot', async ({ browser, env }) => {
  test.skip(SMOKE, 'full run only');
  test.setTimeout(600_000);
  const n = 50_000;
  const customer = await openEngine('ours', options(browser, env, `${env.bench.origin}/synthetic/${n}.html`, { readableSdk: true }));
  try {
    await customer.quiet(300, 60_000);
    await customer.cdp.send('Profiler.enable');
    await customer.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await customer.cdp.send('Profiler.start');
    await customer.fullSnapshot();
    await customer.quiet(300, 120_000);
    const { profile } = (await customer.cdp.send('Profiler.stop')) as { profile: Parameters<typeof topSelfTime>[0] };
    await writeTable('7-profile', {
      order: 7,
      title: `Where our full snapshot spends its time (synthetic page, ${n.toLocaleString('en')} nodes)`,
      how: 'CDP `Profiler` samples (200 µs) of the customer\'s page during one full snapshot, the SDK\'s readable build (gcb.js) in place of gcb.min.js: top functions by self time, share of the page\'s busy (non-idle) time.',
      rows: [],
      extra: ['| function (file:line) | self time | share |', '|---|---|---|', ...topSelfTime(profile, 15)],
    });
  } finally {
    await customer.close();
  }
});

/** The `q` quantile (0..1) of `xs`, nearest rank. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

test('mutation on the customer page to the replica', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 60_000 : 300_000);
  const samples = SMOKE ? 10 : 300;
  // The fidelity suite's co-browsing: our snippet, a session, the agent desktop joined, its replica.
  const mirror = await openMirror({ browser, cobrowse: env.cobrowse, url: `${env.bench.origin}/blank.html`, replayOrigin: '', log: logger() });
  try {
    await mirror.customer.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'probe';
      p.textContent = 'start';
      document.body.append(p);
    });
    // In the agent's page (same origin as the replica): each text the probe shows, with the time of
    // the agent page's next animation frame after the change reached the replica's DOM.
    await mirror.viewer.waitForFunction(
      (selector) => {
        const frame = document.querySelector(selector) as HTMLIFrameElement | null;
        const probe = frame?.contentDocument?.getElementById('probe');
        if (!frame?.contentDocument || !probe) return false;
        const seen: Array<[string, number]> = [];
        (window as unknown as { __benchSeen: typeof seen }).__benchSeen = seen;
        new MutationObserver(() => {
          const text = frame.contentDocument?.getElementById('probe')?.textContent ?? '';
          requestAnimationFrame(() => seen.push([text, performance.timeOrigin + performance.now()]));
        }).observe(frame.contentDocument, { subtree: true, childList: true, characterData: true });
        return true;
      },
      REPLICA_SELECTOR,
      { timeout: 30_000 },
    );
    const sent = new Map<string, number>();
    for (let k = 0; k < samples; k++) {
      const text = `m${k}`;
      const t = await mirror.customer.evaluate((x) => {
        const probe = document.getElementById('probe');
        if (probe) probe.textContent = x;
        return performance.timeOrigin + performance.now();
      }, text);
      sent.set(text, t);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    const seen = await mirror.viewer.evaluate(() => (window as unknown as { __benchSeen: Array<[string, number]> }).__benchSeen);
    const latencies: number[] = [];
    for (const [text, at] of seen) {
      const t = sent.get(text);
      if (t !== undefined) {
        latencies.push(at - t);
        sent.delete(text);
      }
    }
    if (latencies.length < samples * 0.9) throw new Error(`only ${latencies.length} of ${samples} changes reached the replica`);
    process.stdout.write(`latency: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms (${latencies.length} samples)\n`);
    const row = (figure: string, q: number, target: number): Row => ({
      figure,
      unit: 'ms',
      ours: quantile(latencies, q),
      rrweb: NaN,
      target,
      absolute: true,
      runs: latencies.length,
      note: 'samples',
    });
    await writeTable('8-latency', {
      order: 8,
      title: 'Mutation on the customer\'s page → shown in the replica (one session, loopback)',
      how:
        'The customer\'s page changes the text of one element every 50 ms (the runner\'s `evaluate`; the time taken there, `performance.timeOrigin + now()`); the agent desktop (the fidelity suite\'s `openOurs`: real viewer, debug server binary) sees the change in the replica\'s DOM with a MutationObserver and takes the time at its next animation frame. ' +
        'Both pages are in the same browser, so their clocks agree. No baseline (rrweb\'s live mode has no transport of its own).',
      rows: [row('p50', 0.5, 10), row('p99', 0.99, 30)],
    });
  } finally {
    await mirror.close();
  }
});

// Issue 7's graceful degradation: "a page changing 100,000 nodes a second stays responsive (no task
// over 50 ms caused by the SDK), the replica catches up, and memory held by the SDK stays bounded".
test('mutation burst: 100,000 node changes a second', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 120_000 : 600_000);
  const burst = { size: 5_000, rate: 100_000, seconds: SMOKE ? 1 : 10, stepMs: 10 };
  const url = `${env.bench.origin}/blank.html`;
  const longTasksSince = (since: number) =>
    new Promise<number[]>((resolve) => {
      const out: number[] = [];
      new PerformanceObserver((list, obs) => {
        for (const e of list.getEntries()) if (e.startTime >= since) out.push(e.duration);
        obs.disconnect();
        resolve(out);
      }).observe({ type: 'longtask', buffered: true });
      // No entry at all: the observer is never called.
      setTimeout(() => resolve(out), 200);
    });
  const heapAfterGc = async (page: import('@playwright/test').Page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await cdp.detach();
    return usedSize;
  };
  /** `settle`: waits until the page is quiet after the container was built (sent, for the SDK). */
  const burstIn = async (page: import('@playwright/test').Page, settle: () => Promise<unknown>) => {
    // The container first (its own batch), then the burst from a quiet page.
    await page.evaluate(runStress, { ...burst, rate: 1, seconds: 0 });
    await settle();
    const since = await page.evaluate(() => performance.now());
    const result = await page.evaluate(runStress, burst);
    const ended = Date.now();
    const tasks = await page.evaluate(longTasksSince, since);
    return { result, ended, tasks };
  };

  // The page alone.
  const bare = await openBare(browser, url);
  let alone: Awaited<ReturnType<typeof burstIn>>;
  let aloneHeap: number;
  try {
    // The container rendered: two animation frames after it.
    alone = await burstIn(bare.page, () => bare.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
    aloneHeap = await heapAfterGc(bare.page);
  } finally {
    await bare.close();
  }

  // With our SDK and a bare agent socket (as the other figures: no viewer in the same browser
  // competing for the two cores): the page's long tasks and the SDK's heap.
  const sdk = await openEngine('ours', options(browser, env, url));
  let withSdk: Awaited<ReturnType<typeof burstIn>>;
  let sdkHeap: number;
  try {
    await sdk.quiet(300, 30_000);
    withSdk = await burstIn(sdk.page, () => sdk.quiet(300, 30_000));
    await sdk.quiet(300, 60_000);
    sdkHeap = (await heapAfterGc(sdk.page)) - aloneHeap;
  } finally {
    await sdk.close();
  }

  // With our SDK and the agent desktop showing the replica: the replica catches up.
  const mirror = await openMirror({ browser, cobrowse: env.cobrowse, url, replayOrigin: '', log: logger() });
  try {
    const customer = mirror.customer;
    // What the SDK's socket sends from now on: the largest send buffer seen and the full snapshots.
    await customer.evaluate(() => {
      const w = window as unknown as { __burst: { maxBuffered: number; fulls: number; frames: number } };
      w.__burst = { maxBuffered: 0, fulls: 0, frames: 0 };
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        w.__burst.maxBuffered = Math.max(w.__burst.maxBuffered, this.bufferedAmount);
        if (typeof data !== 'string' && ArrayBuffer.isView(data)) {
          w.__burst.frames += 1;
          if (new Uint8Array(data.buffer, data.byteOffset, data.byteLength)[1] === 1) w.__burst.fulls += 1;
        }
        return send.call(this, data);
      };
    });
    const replicaSignature = () => mirror.viewer.evaluate(stressSignature, REPLICA_SELECTOR);
    // The container in the replica before the burst starts.
    const ours = await burstIn(customer, async () => {
      const want = await customer.evaluate(stressSignature, null);
      for (const end = Date.now() + 30_000; Date.now() < end; ) {
        if ((await replicaSignature()) === want) return;
        await customer.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      }
      throw new Error('the replica never showed the burst page before the burst');
    });
    const expected = await customer.evaluate(stressSignature, null);
    let caughtUp = NaN;
    for (const end = Date.now() + 60_000; Date.now() < end; ) {
      if ((await replicaSignature()) === expected) {
        caughtUp = Date.now() - ours.ended;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!Number.isFinite(caughtUp)) throw new Error('the replica did not catch up with the page within 60 s of the burst');
    const wire = (await customer.evaluate(() => (window as unknown as { __burst: { maxBuffered: number; fulls: number; frames: number } }).__burst));
    const longest = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
    const rate = (r: { changes: number; elapsed: number }) => `${Math.round((r.changes / r.elapsed) * 1000).toLocaleString('en')}/s`;
    process.stdout.write(
      `burst: ours longest ${longest(withSdk.tasks).toFixed(0)} ms (${withSdk.tasks.length} long tasks, ${rate(withSdk.result)}; with the viewer ${longest(ours.tasks).toFixed(0)} ms, ${ours.tasks.length}, ${rate(ours.result)}), alone ${longest(alone.tasks).toFixed(0)} ms (${alone.tasks.length}, ${rate(alone.result)}); ` +
        `caught up ${caughtUp} ms after; heap +${(sdkHeap / 1024).toFixed(0)} KiB; max buffered ${wire.maxBuffered} B; ${wire.frames} frames, ${wire.fulls} full\n`,
    );
    const label = `${burst.rate.toLocaleString('en')} changes/s for ${burst.seconds} s on ${burst.size.toLocaleString('en')} divs`;
    const rows: Row[] = [
      {
        figure: `longest task during the burst (${label})`,
        unit: 'ms',
        ours: longest(withSdk.tasks),
        rrweb: NaN,
        target: 50,
        absolute: true,
        runs: 1,
        note:
          `0 = none over 50 ms; the page alone: ${longest(alone.tasks).toFixed(0)} ms; tasks over 50 ms: ${withSdk.tasks.length} with the SDK, ${alone.tasks.length} alone; rate reached: ${rate(withSdk.result)} with the SDK, ${rate(alone.result)} alone; ` +
          `with the agent desktop in the same browser (sharing the two cores): longest ${longest(ours.tasks).toFixed(0)} ms, ${ours.tasks.length} over 50 ms`,
      },
      {
        figure: 'replica equal to the page, after the burst ended',
        unit: 'ms',
        ours: caughtUp,
        rrweb: NaN,
        target: 1000,
        absolute: true,
        runs: 1,
        note: `the agent desktop's replica, polled every 20 ms; ${wire.frames} DOM frames during the burst, ${wire.fulls} of them full snapshots (resyncs); bound of this benchmark, the issue sets none`,
      },
      {
        figure: "JS heap held by the SDK after the burst (the page's heap minus the page alone's, after a GC)",
        unit: 'KiB',
        ours: sdkHeap / 1024,
        rrweb: NaN,
        target: 16 * 1024,
        absolute: true,
        runs: 1,
        note: 'bound of this benchmark: the issue asks for bounded memory',
      },
      {
        figure: "largest send buffer of the SDK's socket during the burst",
        unit: 'KiB',
        ours: wire.maxBuffered / 1024,
        rrweb: NaN,
        target: 8 * 1024,
        absolute: true,
        runs: 1,
        note: 'above 8 MiB (BACKLOG_LIMIT) the SDK drops batches for a full snapshot',
      },
    ];
    await writeTable('9-burst', {
      order: 9,
      title: 'A mutation burst: 100,000 node changes a second (graceful degradation)',
      how:
        'A page of 5,000 divs changes 1,000 nodes every 10 ms for 10 s (text, attribute, class, or the div replaced by a new one, in turn; at most one missed step caught up per step; web/bench/pages.ts `runStress`): alone (no recorder, web/bench/floor.ts), with our SDK and a bare agent socket (long tasks, heap), and with our SDK in a session with the agent desktop (the fidelity suite\'s `openOurs`: real viewer; the replica, the socket). ' +
        'Long tasks (wall clock) from a `longtask` PerformanceObserver in the page; the replica is compared with the page (tag, class, data-v and text of every div) until equal; heap by CDP `Runtime.getHeapUsage` after `HeapProfiler.collectGarbage`.',
      rows,
    });
  } finally {
    await mirror.close();
  }
});

test('CPU profile of our mutation batches', async ({ browser, env }) => {
  test.skip(SMOKE, 'full run only');
  test.setTimeout(600_000);
  const picked = (process.env.BENCH_PROFILE_WORKLOADS ?? 'append-1000x10,attributes-10000,move-10000').split(',');
  const extra: string[] = [];
  const customer = await openEngine('ours', options(browser, env, `${env.bench.origin}/blank.html`, { readableSdk: true }));
  try {
    await customer.page.evaluate(installWorkloadLibrary);
    for (const w of WORKLOADS.filter((x) => picked.includes(x.id))) {
      await customer.page.evaluate(w.setup);
      await customer.quiet(300, 60_000);
      await customer.cdp.send('Profiler.enable');
      await customer.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await customer.cdp.send('Profiler.start');
      await customer.page.evaluate(`new Promise((resolve) => setTimeout(() => { (${w.run.toString()})(); resolve(0); }, 0))`);
      await customer.quiet(300, 60_000);
      const { profile } = (await customer.cdp.send('Profiler.stop')) as { profile: Parameters<typeof topSelfTime>[0] };
      // BENCH_PROFILE_DIR: the raw profiles too (`<workload id>.cpuprofile`, for DevTools or a script).
      const dir = process.env.BENCH_PROFILE_DIR;
      if (dir) await writeFile(path.join(dir, `${w.id}.cpuprofile`), JSON.stringify(profile));
      extra.push(`**${w.label}**`, '', '| function (file:line) | self time | share |', '|---|---|---|', ...topSelfTime(profile, 12), '');
    }
    await writeTable('10-mutation-profile', {
      order: 10,
      title: 'Where our mutation batches spend their time',
      how: "CDP `Profiler` samples (100 µs) of the customer's page from the workload's start until quiet, the SDK's readable build (gcb.js): top functions by self time, share of the page's busy time (the workload's own DOM work and the browser's rendering included).",
      rows: [],
      extra,
    });
  } finally {
    await customer.close();
  }
});
