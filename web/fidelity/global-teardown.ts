// After a run: with FIDELITY_REPORT=<file>, the report (docs/fidelity.md) is written from the results.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeReport } from './results';
import { RRWEB_DIST } from './sites';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.FIDELITY_REPORT;
  if (!file) return;
  const rrwebPackage = JSON.parse(await readFile(path.join(RRWEB_DIST, '../package.json'), 'utf8')) as { version: string };
  await writeReport(path.resolve(file), {
    command: process.env.FIDELITY_COMMAND ?? 'scripts/fidelity.sh',
    rrweb: rrwebPackage.version,
  });
  process.stdout.write(`fidelity report written to ${path.resolve(file)}\n`);
}
