// The agent side of the browser benchmark (issue 7, "agent-side time to apply a full snapshot and a
// burst of batches", against rrweb's `Replayer` in live mode): what the customer's page sent,
// recorded once per input for each engine (replay.ts), applied in the agent's page by our viewer and
// by rrweb's Replayer, interleaved with the floor ("replica alone": the final DOM as markup, what no
// replayer goes below, replay-floor.ts) (ours, rrweb, floor, ours, …), median of BENCH_RUNS runs. Fails only
// when it cannot measure (a replica that never completes, or completes with other elements than
// the customer's page), never on a figure.
//
//   cd web && npx playwright test -c bench/playwright.config.ts replay     this file
//   BENCH_SMOKE=1 …                                                        seconds: small inputs, one run
//   BENCH_PROFILE=1 BENCH_SIZES=10000 …                                    CPU profiles of ours (bench-results/*.cpuprofile)

import { test as base, type Browser } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCobrowseServer, type CobrowseServer } from '../e2e/harness/server';
import { snippetConfig, type StaticSite } from '../fidelity/sites';
import { openEngine, type Customer, type EngineName } from './engines';
import { installWorkloadLibrary, startBenchSite, WORKLOADS } from './pages';
import { inputBytes, openAgent, record, rrwebVersion, startAgentSite, topSelfTime, traceMainThread, type Agent, type AgentEngine, type Applied, type CpuProfile, type ReplayEngine, type ReplayInput } from './replay';
import { median, OUTPUT_DIR, writeTable, type Row } from './results';

const SMOKE = !!process.env.BENCH_SMOKE;
const RUNS = Number(process.env.BENCH_RUNS ?? (SMOKE ? 1 : 5));
const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : SMOKE ? [1000] : [10_000, 50_000, 150_000];
/** The page the churn burst runs on, and its animation frames of changes. */
const CHURN_SIZE = SMOKE ? 1000 : 10_000;
const CHURN_FRAMES = SMOKE ? 10 : 60;
const ENGINES: ReplayEngine[] = ['ours', 'rrweb'];
/** The agents, interleaved in this order: the two engines and the floor. */
const AGENTS: AgentEngine[] = [...ENGINES, 'floor'];
/** BENCH_PROFILE=1: the first run of each input and engine under the CPU profiler, with the viewer's readable build (figures then include the profiler's cost). */
const PROFILE = !!process.env.BENCH_PROFILE;
/** BENCH_TRACE=1: the first run of each input and engine under a Chrome trace; where the main thread's time went (style, layout, paint, script…) is printed. */
const TRACE = !!process.env.BENCH_TRACE;
/** How long one apply may take before the benchmark fails. */
const TIMEOUT = SMOKE ? 20_000 : 120_000;

interface Env {
  bench: StaticSite;
  agentSite: StaticSite;
  cobrowse: CobrowseServer;
}

const test = base.extend<object, { env: Env }>({
  env: [
    async ({}, use) => {
      const bench = await startBenchSite();
      const agentSite = await startAgentSite();
      const cobrowse = await startCobrowseServer([bench.origin]);
      snippetConfig.cobrowseUrl = cobrowse.cobrowseUrl;
      try {
        await use({ bench, agentSite, cobrowse });
      } finally {
        await cobrowse.stop();
        await agentSite.stop();
        await bench.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * A page changing a lot quickly: for `frames` animation frames, each frame 50 texts changed, 20
 * `style` attributes set, 5 small subtrees added and 5 elements removed, at places picked by a fixed
 * sequence (the same on both customers' pages). Run in the customer's page.
 */
function churn(frames: number): Promise<void> {
  return new Promise((resolve) => {
    const service = '[data-gcb-service-node]';
    const texts: Text[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      if (n.parentElement?.closest(service) === null) texts.push(n as Text);
    }
    const elements = Array.from(document.body.querySelectorAll('div, p, li, td, span, b')).filter((e) => e.closest(service) === null && !e.id.startsWith('replay-'));
    let seed = 1;
    const pick = <T,>(xs: T[]): T | undefined => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return xs[seed % xs.length];
    };
    let f = 0;
    const step = () => {
      for (let k = 0; k < 50; k++) {
        const t = pick(texts);
        if (t) t.data = `changed ${f}.${k}`;
      }
      for (let k = 0; k < 20; k++) pick(elements)?.setAttribute('style', `color:#${((f * 7919 + k * 104729) & 0xffffff).toString(16).padStart(6, '0')}`);
      for (let k = 0; k < 5; k++) {
        const e = pick(elements);
        if (e?.isConnected) {
          const d = document.createElement('div');
          d.className = 'added';
          d.innerHTML = `<span>new ${f}.${k}</span> <b>bold</b> <a href="/x/${f}">link</a>`;
          e.append(d);
        }
      }
      for (let k = 0; k < 5; k++) pick(elements)?.remove();
      f += 1;
      if (f < frames) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
}

interface Burst {
  id: string;
  label: string;
  /** Source of a function run in the customer's page before the snapshot (not measured). */
  setup: string | null;
  /** Source of the workload (a function; may return a promise). */
  run: string;
}

/** BENCH_WORKLOADS: the ids of the dom-mutation workloads to run (comma separated; `none`), default all (smoke: the first). */
const WORKLOAD_IDS = process.env.BENCH_WORKLOADS?.split(',') ?? null;
const MUTATION_BURSTS: Burst[] = (WORKLOAD_IDS ? WORKLOADS.filter((w) => WORKLOAD_IDS.includes(w.id)) : SMOKE ? WORKLOADS.slice(0, 1) : WORKLOADS).map((w) => ({
  id: w.id,
  label: `burst: ${w.label}`,
  setup: w.setup.toString(),
  run: w.run.toString(),
}));

/** Opens both customers on `url`, ours first; closes both whatever `body` does. */
async function bothCustomers<T>(browser: Browser, env: Env, url: string, body: (c: Record<EngineName, Customer>) => Promise<T>): Promise<T> {
  const opened: Partial<Record<EngineName, Customer>> = {};
  try {
    for (const e of ENGINES) opened[e] = await openEngine(e, { browser, cobrowse: env.cobrowse, url, log });
    return await body(opened as Record<EngineName, Customer>);
  } finally {
    for (const c of Object.values(opened)) await c.close();
  }
}

let inputCount = 0;

/** Records the snapshot input of the customers' current page, and with `burst` the burst input after it. */
async function recordInputs(c: Record<EngineName, Customer>, label: string, burst: Burst | null): Promise<ReplayInput> {
  const k = inputCount++;
  const start = `replay-start-${k}`;
  const end = `replay-end-${k}`;
  const input: Partial<ReplayInput> = { label, beforeMarker: burst ? start : null, marker: burst ? end : start };
  for (const e of ENGINES) {
    if (burst?.setup) await c[e].page.evaluate(`(${burst.setup})()`);
    const r = await record(c[e], start, burst?.run ?? null, end);
    if (process.env.BENCH_DEBUG) log(`recorded ${label} ${e}: ${r.snapshot.length} + ${r.burst.length} items, ${r.elements} elements`);
    const before = burst ? r.snapshot : [];
    const measured = burst ? r.burst : r.snapshot;
    input[e] = { before, measured, elements: r.elements, bytes: inputBytes(e, measured) };
    if (r.floor) input.floor = r.floor;
  }
  if (!input.floor) throw new Error('no floor input was recorded');
  if (process.env.BENCH_DEBUG) {
    await mkdir(OUTPUT_DIR, { recursive: true });
    await writeFile(path.join(OUTPUT_DIR, `replay-input-${k}.json`), JSON.stringify(input));
  }
  return input as ReplayInput;
}

interface Figures {
  cpu: number[];
  applied: number[];
  rendered: number[];
}

/** Applies `input` RUNS times per agent, interleaved; checks every replica against the customer's page. */
async function measureInput(agents: Record<AgentEngine, Agent>, input: ReplayInput): Promise<Record<AgentEngine, Figures>> {
  const none = (): Figures => ({ cpu: [], applied: [], rendered: [] });
  const out: Record<AgentEngine, Figures> = { ours: none(), rrweb: none(), floor: none() };
  for (const e of AGENTS) await agents[e].load(input[e]);
  if (process.env.BENCH_DEBUG) log(`loaded ${input.label}`);
  for (let run = 0; run < RUNS; run++) {
    for (const e of AGENTS) {
      const agent = agents[e];
      const debug = (what: string) => (process.env.BENCH_DEBUG ? log(`${e} ${input.label}: ${what}`) : undefined);
      debug('fresh');
      await agent.fresh();
      debug('prepare');
      if (input.beforeMarker !== null) await agent.prepare(input.beforeMarker, TIMEOUT);
      debug('measure');
      const profiling = PROFILE && run === 0 && e !== 'floor';
      if (profiling) {
        await agent.cdp.send('Profiler.enable');
        await agent.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await agent.cdp.send('Profiler.start');
      }
      let r: Applied | undefined;
      if (TRACE && run === 0) {
        const totals = await traceMainThread(agent.cdp, agent.page.url(), async () => {
          r = await agent.measure(input.marker, TIMEOUT);
        });
        log(`trace of ${e}, ${input.label}: ${totals.slice(0, 60).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
      } else r = await agent.measure(input.marker, TIMEOUT);
      if (!r) throw new Error('no figures');
      if (profiling) {
        const { profile } = (await agent.cdp.send('Profiler.stop')) as { profile: CpuProfile };
        const file = path.join(OUTPUT_DIR, `replay-${e}-${input.marker}.cpuprofile`);
        await mkdir(OUTPUT_DIR, { recursive: true });
        await writeFile(file, JSON.stringify(profile));
        log(`profile of ${e}, ${input.label} (${file}):\n${topSelfTime(profile, 25, 'viewer.js').join('\n')}`);
      }
      const elements = await agent.elements();
      if (elements !== input[e].elements) {
        throw new Error(`${e}: the replica has ${elements} elements under <body> after "${input.label}", the customer's page ${input[e].elements}`);
      }
      out[e].cpu.push(r.cpu);
      out[e].applied.push(r.applied);
      out[e].rendered.push(r.rendered);
    }
  }
  const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  log(
    `replay ${input.label}: cpu ours ${f(out.ours.cpu)} ms, rrweb ${f(out.rrweb.cpu)} ms, alone ${f(out.floor.cpu)} ms; ` +
      `rendered ours ${f(out.ours.rendered)} ms, rrweb ${f(out.rrweb.rendered)} ms, alone ${f(out.floor.rendered)} ms`,
  );
  return out;
}

const kib = (n: number) => (n >= 10_240 ? `${Math.round(n / 1024)} KiB` : `${n} B`);

/** The notes' floor: "replica alone X ms (Y× rrweb)", and whether ≤ 0.7× is then out of reach for any replayer. */
function floorNote(floor: number, rrweb: number): string {
  const share = floor / rrweb;
  return `replica alone ${floor >= 100 ? floor.toFixed(0) : floor.toFixed(1)} ms (${share.toFixed(2)}× rrweb${share > 0.7 ? ': ≤ 0.7× out of reach' : ''})`;
}

test('agent side: a full snapshot and bursts of batches applied', async ({ browser, env }) => {
  test.setTimeout(SMOKE ? 120_000 : 3_600_000);
  const agents: Partial<Record<AgentEngine, Agent>> = {};
  const cpuRows: Row[] = [];
  const wallRows: Row[] = [];
  try {
    for (const e of AGENTS) agents[e] = await openAgent(browser, env.agentSite, e, log, PROFILE);
    const measureRows = async (input: ReplayInput, note: string) => {
      const m = await measureInput(agents as Record<AgentEngine, Agent>, input);
      const items = `ours ${input.ours.measured.length} frames (${kib(input.ours.bytes)}), rrweb ${input.rrweb.measured.length} events (${kib(input.rrweb.bytes)} JSON)`;
      const cpu = { ours: median(m.ours.cpu), rrweb: median(m.rrweb.cpu), floor: median(m.floor.cpu) };
      const wall = { ours: median(m.ours.rendered), rrweb: median(m.rrweb.rendered), floor: median(m.floor.rendered) };
      cpuRows.push({ figure: input.label, unit: 'ms', ours: cpu.ours, rrweb: cpu.rrweb, target: 0.7, runs: RUNS, note: `${floorNote(cpu.floor, cpu.rrweb)}; ${items}${note}` });
      wallRows.push({ figure: input.label, unit: 'ms', ours: wall.ours, rrweb: wall.rrweb, target: 0.7, runs: RUNS, note: floorNote(wall.floor, wall.rrweb) });
    };
    for (const n of SIZES) {
      const url = `${env.bench.origin}/synthetic/${n}.html`;
      const inputs = await bothCustomers(browser, env, url, async (c) => {
        const list = [await recordInputs(c, `full snapshot, synthetic page of ${n.toLocaleString('en')} nodes`, null)];
        if (n === CHURN_SIZE) {
          list.push(
            await recordInputs(c, `burst: ${CHURN_FRAMES} frames of changes on the ${n.toLocaleString('en')}-node page (50 texts, 20 styles, 5 subtrees added, 5 removed per frame)`, {
              id: 'churn',
              label: '',
              setup: null,
              run: `(${churn.toString()}).bind(null, ${CHURN_FRAMES})`,
            }),
          );
        }
        return list;
      });
      for (const input of inputs) await measureRows(input, input.beforeMarker ? '; after its snapshot (not measured)' : '');
    }
    const bursts = MUTATION_BURSTS.length === 0 ? [] : await bothCustomers(browser, env, `${env.bench.origin}/blank.html`, async (c) => {
      for (const e of ENGINES) await c[e].page.evaluate(installWorkloadLibrary);
      const list: ReplayInput[] = [];
      for (const b of MUTATION_BURSTS) list.push(await recordInputs(c, b.label, b));
      return list;
    });
    for (const input of bursts) await measureRows(input, '; after its snapshot (not measured)');
  } finally {
    for (const a of Object.values(agents)) await a.close();
  }
  const how =
    'What the customer\'s page sent, recorded once per input (ours: the binary DOM frames the SDK sent on its WebSocket; rrweb: the events `@rrweb/record` emitted, as JSON text), ' +
    'given in one task to the agent\'s page: ours the real viewer (web/packages/viewer bundled as the agent desktop\'s, `handleFrame` per frame: decompression, `JSON.parse`, rebuild or applyOps into the sandboxed iframe), ' +
    `rrweb \`Replayer\` of the \`rrweb\` package ${await rrwebVersion()} in live mode` +
    ' (`liveMode: true`, `startLive()`, per event `JSON.parse` and `addEvent`, stamped with the time it is given). ' +
    'Both replicas are iframes of 1024×768 at scale 1 in a 1700×1150 page with the agent desktop\'s CSP. A burst is applied after the snapshot that precedes it (not measured). ' +
    '"Replica alone" (web/bench/replay-floor.ts), interleaved with the two engines: the same final DOM put into the same kind of replica iframe (sandboxed, same size, same page and CSP) by the cheapest means a replayer could have, measured the same way: ' +
    'for a snapshot, the markup of the customer\'s page once the input was sent (its scripts and our service elements removed), up to <body> by `document.write` and <body>\'s content by `innerHTML` (no decompression, no JSON, no sanitizing, no node ids); ' +
    'for a burst, after the snapshot\'s markup (not measured), the least change from the snapshot\'s DOM to the final one, its nodes found before the measurement (as a replayer\'s id map finds them): changed attributes and texts set, each run of siblings that differs removed and its replacement inserted with one `insertAdjacentHTML`, intermediate states skipped. ' +
    'The browser\'s own work on the replica (parsing, style, layout, paint) is most of it; where it is above 0.7× of rrweb\'s figure, ≤ 0.7× cannot be reached by any replayer.';
  await writeTable('7.5-replay', {
    order: 7.5,
    title: 'Agent side: applying a full snapshot and a burst of batches, main-thread time',
    how:
      `${how} Main-thread task time of the agent's page (CDP \`Performance.getMetrics\` \`TaskDuration\`) from the first frame or event given until the replica shows the input's last element ` +
      '(an end marker the customer\'s page added), its style and layout forced and the next frame rendered; garbage collected before each run.',
    rows: cpuRows,
  });
  await writeTable('7.6-replay-wall', {
    order: 7.6,
    title: 'Agent side: applying a full snapshot and a burst of batches, wall clock',
    how: 'The same runs: wall clock from the first frame or event given to the end of the first frame rendered with the input\'s last element (rrweb applies live events at its next animation frame; ours once decompressed).',
    rows: wallRows,
  });
});

test('CPU profile of our replica build', async ({ browser, env }) => {
  test.skip(SMOKE, 'full run only');
  test.setTimeout(600_000);
  const n = 50_000;
  const customer = await openEngine('ours', { browser, cobrowse: env.cobrowse, url: `${env.bench.origin}/synthetic/${n}.html`, log });
  let snapshot: string[];
  try {
    snapshot = (await record(customer, 'replay-profile', null, 'replay-profile-end')).snapshot;
  } finally {
    await customer.close();
  }
  const agent = await openAgent(browser, env.agentSite, 'ours', log, true);
  try {
    await agent.load({ before: [], measured: snapshot, elements: 0, bytes: 0 });
    await agent.fresh();
    await agent.cdp.send('Profiler.enable');
    await agent.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await agent.cdp.send('Profiler.start');
    await agent.measure('replay-profile', TIMEOUT);
    const { profile } = (await agent.cdp.send('Profiler.stop')) as { profile: CpuProfile };
    await writeTable('7.7-replay-profile', {
      order: 7.7,
      title: `Where our replica spends its time applying a full snapshot (synthetic page, ${n.toLocaleString('en')} nodes)`,
      how:
        'CDP `Profiler` samples (200 µs) of the agent\'s page while the viewer (its readable build) applies the snapshot, as in the table above: top functions by self time, share of the page\'s busy (non-idle) time. ' +
        '`getBoundingClientRect` is the benchmark\'s own check once the marker is in the replica: the replica\'s first style and layout, forced there (the viewer forces none while it builds). ' +
        'rrweb\'s replica gets the same style and layout in the frame rendered after its build, which a JavaScript profile attributes to no function; both are in the main-thread time of the tables above.',
      rows: [],
      extra: ['| function (file:line) | self time | share |', '|---|---|---|', ...topSelfTime(profile, 15, 'viewer.js')],
    });
  } finally {
    await agent.close();
  }
});
