// Before a run: forget the previous run's figures (a benchmark that fails now must not report old ones).
import { rm } from 'node:fs/promises';
import { OUTPUT_DIR } from './results';

export default async function globalSetup(): Promise<void> {
  await rm(OUTPUT_DIR, { recursive: true, force: true });
}
