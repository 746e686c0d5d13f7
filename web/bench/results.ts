// The browser benchmark's figures: each test writes its rows to bench-results/<test>.json; the
// report (the tables between `<!-- BROWSER: … -->` and `<!-- /BROWSER -->` of docs/benchmarks.md)
// is written from them after the run.

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const OUTPUT_DIR = process.env.BENCH_OUT ?? path.resolve(here, '../bench-results');

/** One compared figure: ours and rrweb's medians, lower is better. */
export interface Row {
  figure: string;
  unit: 'ms' | 'B' | 'KiB';
  ours: number;
  rrweb: number;
  /** Target ratio ours / rrweb (reached when ≤), or an absolute bound on ours (`absolute`). */
  target: number;
  absolute?: boolean;
  runs: number;
  note?: string;
}

export interface Table {
  /** Sort key and heading. */
  order: number;
  title: string;
  /** What is measured and how, one paragraph. */
  how: string;
  rows: Row[];
  /** Free lines after the table (profiles). */
  extra?: string[];
}

export async function writeTable(name: string, table: Table): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await writeFile(path.join(OUTPUT_DIR, `${name}.json`), JSON.stringify(table, null, 2));
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function fmt(v: number, unit: Row['unit']): string {
  if (!Number.isFinite(v)) return '—';
  if (unit === 'B') return v >= 10_240 ? `${(v / 1024).toFixed(0)} KiB` : `${Math.round(v)} B`;
  if (unit === 'KiB') return `${v.toFixed(1)} KiB`;
  return v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`;
}

function rowLine(r: Row): string {
  const ratio = r.rrweb > 0 ? r.ours / r.rrweb : NaN;
  const reached = r.absolute ? r.ours <= r.target : ratio <= r.target;
  const target = r.absolute ? `≤ ${fmt(r.target, r.unit)}` : `≤ ${r.target}×`;
  const ratioText = Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
  const notes = `${r.runs}${r.note ? `; ${r.note}` : ''}`;
  return `| ${r.figure} | ${fmt(r.ours, r.unit)} | ${fmt(r.rrweb, r.unit)} | ${ratioText} | ${target} | ${reached ? 'yes' : '**no**'} | ${notes} |`;
}

export interface ReportContext {
  command: string;
  chromium: string;
  rrweb: string;
}

/** Writes the tables into `file` between the BROWSER markers (the rest of the file is kept). */
export async function writeReport(file: string, ctx: ReportContext): Promise<void> {
  const tables: Table[] = [];
  for (const f of (await readdir(OUTPUT_DIR)).filter((x) => x.endsWith('.json')).sort()) {
    tables.push(JSON.parse(await readFile(path.join(OUTPUT_DIR, f), 'utf8')) as Table);
  }
  tables.sort((a, b) => a.order - b.order);
  const cpu = os.cpus();
  const lines: string[] = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.type()} ${os.release()}, ${cpu.length} × ${cpu[0]?.model ?? 'CPU'} ` +
      `(shared with other work), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium ${ctx.chromium} headless; rrweb ${ctx.rrweb}. Command: \`${ctx.command}\`.`,
    '',
  ];
  for (const t of tables) {
    lines.push(`### ${t.title}`, '', t.how, '');
    if (t.rows.length) {
      lines.push('| figure | ours | rrweb | ratio | target | reached | runs, notes |', '|---|---|---|---|---|---|---|');
      for (const r of t.rows) lines.push(rowLine(r));
      lines.push('');
    }
    if (t.extra?.length) lines.push(...t.extra, '');
  }
  const text = await readFile(file, 'utf8');
  const start = text.indexOf('<!-- BROWSER:');
  const end = text.indexOf('<!-- /BROWSER -->');
  if (start < 0 || end < start) throw new Error(`${file} has no <!-- BROWSER: … --> … <!-- /BROWSER --> markers`);
  const open = text.slice(start, text.indexOf('-->', start) + 3);
  await writeFile(file, `${text.slice(0, start)}${open}\n${lines.join('\n')}${text.slice(end)}`);
}
