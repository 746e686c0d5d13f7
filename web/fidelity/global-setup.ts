// Before a run: forget the previous run's results (a page that fails now must not report old figures).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { OUTPUT_DIR } from './results';

export default async function globalSetup(): Promise<void> {
  await rm(path.join(OUTPUT_DIR, 'results'), { recursive: true, force: true });
  await rm(path.join(OUTPUT_DIR, 'images'), { recursive: true, force: true });
}
