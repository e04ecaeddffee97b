import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** First-line prefix of a worker bundle, followed by `{ sha256, inputs }` as JSON (scripts/bundleWorkers.mjs). */
export const BUNDLE_TAG = '//# corepin-bundle ';

/**
 * sha256 over the given dist files' paths and contents, in order: what a worker bundle was built
 * from. scripts/bundleWorkers.mjs records it; workerEntry recomputes it to refuse a stale bundle.
 */
export function bundleInputsHash(dist: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const f of inputs) hash.update(`${f}\0`).update(readFileSync(join(dist, f))).update('\0');
  return hash.digest('hex');
}
