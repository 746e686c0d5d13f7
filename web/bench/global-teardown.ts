// After a run: with BENCH_REPORT=<file>, the tables (docs/benchmarks.md, browser section) are written
// from the figures of this run.
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeReport } from './results';

const require = createRequire(import.meta.url);

export default async function globalTeardown(): Promise<void> {
  const file = process.env.BENCH_REPORT;
  if (!file) return;
  const record = JSON.parse(await readFile(path.join(path.dirname(require.resolve('@rrweb/record')), '../package.json'), 'utf8')) as { version: string };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const version = browser.version();
  await browser.close();
  await writeReport(path.resolve(file), {
    command: process.env.BENCH_COMMAND ?? 'scripts/bench.sh',
    chromium: version,
    rrweb: `@rrweb/record ${record.version}`,
  });
  process.stdout.write(`benchmark report written to ${path.resolve(file)}\n`);
}
