// The suite's results on disk (fidelity-results/, ignored by git) and the report written from them
// into docs/fidelity.md by the full run (scripts/fidelity.sh). The report keeps the hand-written
// analysis between its ANALYSIS markers from one run to the next.

import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIXEL_THRESHOLD, QUIET_MS, SETTLE_TIMEOUT_MS, type Comparison } from './compare';
import { CORPUS, SKIPPED } from './corpus';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where results, screenshots and diff images go. */
export const OUTPUT_DIR = process.env.FIDELITY_OUT ?? path.resolve(here, '../fidelity-results');

/** The target of issue 6: every page at least this share of identical pixels. */
export const TARGET = 99.5;

export interface MirrorResult {
  /** Null when the mirror showed no replica at all (`problems` says why). */
  load: Comparison | null;
  interactions: Comparison | null;
  /** Findings about the mirror on this page: no replica, replica behind, actions hindered. */
  problems: string[];
  seconds: number;
}

export interface PageResult {
  id: string;
  site: string;
  path: string;
  interactions: string | null;
  /** The browser's version string. */
  chromium: string;
  ours: MirrorResult;
  rrweb: MirrorResult;
}

export async function readResults(): Promise<PageResult[]> {
  const dir = path.join(OUTPUT_DIR, 'results');
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const results = await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as PageResult));
  const order = new Map(CORPUS.map((p, i) => [p.id, i]));
  return results.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

const pct = (c: Comparison | null): string => (c ? `${c.identical.toFixed(3)} %` : '—');

const ANALYSIS_START = '<!-- ANALYSIS: hand-written, kept by the generator -->';
const ANALYSIS_END = '<!-- /ANALYSIS -->';

export interface ReportContext {
  command: string;
  rrweb: string;
}

export async function writeReport(file: string, ctx: ReportContext): Promise<void> {
  const results = await readResults();
  const failed = CORPUS.filter((p) => !results.some((r) => r.id === p.id)).map((p) => p.id);
  const chromium = results[0]?.chromium ?? 'unknown';
  let analysis = `${ANALYSIS_START}\n(no analysis yet)\n${ANALYSIS_END}`;
  if (existsSync(file)) {
    const old = await readFile(file, 'utf8');
    const a = old.indexOf(ANALYSIS_START);
    const b = old.indexOf(ANALYSIS_END);
    if (a >= 0 && b > a) analysis = old.slice(a, b + ANALYSIS_END.length);
  }
  const figures = (r: PageResult) => [
    { who: 'ours', phase: 'after load', c: r.ours.load },
    { who: 'ours', phase: 'after interactions', c: r.ours.interactions },
    { who: 'rrweb', phase: 'after load', c: r.rrweb.load },
    { who: 'rrweb', phase: 'after interactions', c: r.rrweb.interactions },
  ];
  /** A missing replica counts as 0 % (the agent sees nothing of the page). */
  const value = (m: MirrorResult, c: Comparison | null): number | null => (m.load === null ? 0 : c ? c.identical : null);
  const flags = (r: PageResult): string => {
    const out: string[] = [];
    if (r.ours.load === null) out.push('no replica');
    for (const [phase, o, w] of [
      ['load', r.ours.load, r.rrweb.load],
      ['interactions', r.ours.interactions, r.rrweb.interactions],
    ] as const) {
      if (!o) continue;
      if (o.behind) out.push(`replica behind after ${phase}`);
      if (o.excluded) out.push(`restricted elements not compared after ${phase}: ${((100 * o.excluded) / o.total).toFixed(2)} % of the viewport`);
      if (o.identical < TARGET) out.push(`below ${TARGET} % after ${phase} (differs in ${o.where ?? '—'})`);
      if (w && o.identical < w.identical) out.push(`below rrweb after ${phase}`);
    }
    if (r.ours.load === null && r.rrweb.load !== null) out.push('below rrweb');
    return out.join('; ');
  };
  const cell = (m: MirrorResult, c: Comparison | null, hasPhase: boolean): string =>
    !hasPhase ? '—' : m.load === null ? '**no replica**' : c ? `${pct(c)}${c.behind ? ' (behind)' : ''}` : '—';
  const all = (who: 'ours' | 'rrweb') =>
    results.flatMap((r) =>
      // A page without interactions has one figure, with or without a replica.
      [value(r[who], r[who].load), r.interactions === null ? null : value(r[who], r[who].interactions)].filter((v): v is number => v !== null),
    );
  const ours = all('ours');
  const theirs = all('rrweb');
  const mean = (vs: number[]) => (vs.length ? vs.reduce((s, v) => s + v, 0) / vs.length : NaN);
  const lowestOf = (who: 'ours' | 'rrweb', n: number) =>
    results
      .flatMap((r) => [
        { id: r.id, phase: 'after load', v: value(r[who], r[who].load) },
        { id: r.id, phase: 'after interactions', v: r[who].load === null ? null : value(r[who], r[who].interactions) },
      ])
      .filter((f): f is { id: string; phase: string; v: number } => f.v !== null)
      .sort((a, b) => a.v - b.v)
      .slice(0, n)
      .map((f) => `${f.id} ${f.phase} ${f.v.toFixed(3)} %`)
      .join('; ');
  const belowTarget = results.filter((r) => [value(r.ours, r.ours.load), value(r.ours, r.ours.interactions)].some((v) => v !== null && v < TARGET));
  const belowRrweb = results.filter((r) =>
    (['load', 'interactions'] as const).some((phase) => {
      const o = value(r.ours, r.ours[phase]);
      const w = value(r.rrweb, r.rrweb[phase]);
      return o !== null && w !== null && o < w;
    }),
  );
  const findings = results.flatMap((r) =>
    (['ours', 'rrweb'] as const).flatMap((who) => r[who].problems.map((problem) => `- \`${r.site}${r.path}\` (${who}): ${problem.replace(/\x1b\[[0-9;]*m/g, '')}`)),
  );
  const cpus = os.cpus();
  const lines = [
    '# Replica fidelity',
    '',
    'How close the agent\'s replica is to the customer\'s tab, in identical pixels of the viewport, for our',
    'co-browsing and for rrweb\'s record/replay in live mode, on the same pages in the same run, measured by',
    'the same code (`web/fidelity/`). Generated by `scripts/fidelity.sh`; the analysis at the end is',
    'written by hand.',
    '',
    `- **Date**: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- **Machine**: ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `- **Browser**: Chromium ${chromium} (headless, \`--disable-gpu\`), viewport 1024×768, device scale 1`,
    `- **Compared with**: rrweb ${ctx.rrweb} (npm), \`record()\` with defaults plus \`blockSelector\` for service elements, \`Replayer\` with \`liveMode: true\` and \`startLive()\``,
    `- **Command**: \`${ctx.command}\``,
    `- **Pages**: ${results.length} measured${failed.length ? `, ${failed.length} could not be measured (${failed.join(', ')})` : ''}, ${SKIPPED.length} skipped (listed below)`,
    '',
    '## How it is measured',
    '',
    '1. The customer\'s page (Chromium, 1024×768, scale 1) is served from a static server on another origin',
    '   with the co-browse snippet put into the HTML (ours: the JavaScript API snippet, then `startSession()`',
    '   answered Yes, then an agent joins from the agent desktop whose replica is unscaled; rrweb: its UMD',
    '   bundle and `rrweb.record()`, events passed in order through Playwright to a replay page). The demo',
    '   shop pages carry our snippet themselves; in rrweb\'s run our SDK is blocked on them.',
    '2. Both sides settle: the customer\'s document loaded, fonts loaded, images complete, no request in flight',
    `   and no DOM change, scroll or input for ${QUIET_MS} ms; then a sync mark set on the customer's \`<html>\` must`,
    '   arrive in the replica (changes are applied in order), whose fonts and images must be loaded too.',
    '3. Screenshots: the replica iframe, then the customer\'s viewport, with CSS animations stopped and the',
    '   caret hidden on both; on the customer\'s side service elements (`data-gcb-service-node`: the SDK\'s',
    '   toolbar and dialogs, the demo\'s chat widget — never sent to the agent) are hidden by the screenshot\'s',
    '   stylesheet (`display: none`). On the agent\'s side the customer\'s pointer and the desktop\'s toasts are',
    '   hidden; rrweb\'s replayed mouse is hidden on its replay page.',
    `4. \`pixelmatch\` (threshold ${PIXEL_THRESHOLD}, anti-aliased pixels not counted) counts differing pixels; the figure is`,
    '   the share of identical pixels among those compared. Then the page\'s scripted interactions run on the',
    '   customer\'s side (`web/fidelity/corpus.ts`) and the comparison is repeated.',
    '',
    'Both products run at their defaults: our built-in restrictions (password fields masked, submit',
    'controls outlined green for the agent) and the demo shop\'s seeded masking rules are on, as rrweb\'s',
    'default masking (`.rr-mask`, `.rr-block`, password values) is. The boxes of the elements our replica',
    'marks as restricted (masked content, which by design the agent does not see as the customer does,',
    'and every restricted element\'s outline for the agent) are not compared, for both mirrors alike (rrweb\'s',
    'comparison of a phase leaves out the boxes found in ours); the flags give their share of the',
    'viewport. Diff images of the last run: `web/fidelity-results/images/<page>/` (ignored by git).',
    '',
    '## Results',
    '',
    `Target: at least ${TARGET} % on every page, never below rrweb.`,
    '',
    `- ours: mean ${mean(ours).toFixed(2)} % over ${ours.length} figures, ${ours.filter((v) => v >= TARGET).length} at or above the target; rrweb: mean ${mean(theirs).toFixed(2)} % over ${theirs.length}, ${theirs.filter((v) => v >= TARGET).length} at or above (a page without replica counts as 0 %)`,
    `- pages below the target (ours): ${belowTarget.length} of ${results.length}`,
    `- pages where ours is below rrweb: ${belowRrweb.length}${belowRrweb.length ? ` (${belowRrweb.map((r) => r.id).join(', ')})` : ''}`,
    `- lowest (ours): ${lowestOf('ours', 8)}`,
    `- lowest (rrweb): ${lowestOf('rrweb', 5)}`,
    '',
    '| page | interactions | ours after load | ours after interactions | rrweb after load | rrweb after interactions | flags |',
    '|---|---|--:|--:|--:|--:|---|',
    ...results.map(
      (r) =>
        `| \`${r.site}${r.path}\` | ${r.interactions ?? '—'} | ${cell(r.ours, r.ours.load, true)} | ${cell(r.ours, r.ours.interactions, r.interactions !== null)} | ${cell(r.rrweb, r.rrweb.load, true)} | ${cell(r.rrweb, r.rrweb.interactions, r.interactions !== null)} | ${flags(r)} |`,
    ),
    '',
    'Boxes in the flags are the bounding box of the differing pixels (`x0,y0–x1,y1` in CSS px).',
    '"behind": the replica had not caught up with the customer\'s page (the sync mark did not arrive',
    `within ${SETTLE_TIMEOUT_MS / 1000} s); it was compared as it was.`,
    '',
    '### What the run noticed',
    '',
    ...(findings.length ? findings : ['- nothing']),
    '',
    '## Pages not measured',
    '',
    ...SKIPPED.map((s) => `- \`${s.page}\`: ${s.reason}`),
    '',
    '## Analysis of the largest gaps',
    '',
    analysis,
    '',
  ];
  await writeFile(file, lines.join('\n'));
}
