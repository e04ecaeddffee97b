import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import { BUNDLE_TAG, bundleInputsHash } from './bundleInputsHash.js';

/** The file a process worker starts, and why. */
export interface ProcessEntry {
  readonly file: string;
  readonly bundled: boolean;
  /** Why the bundle is or is not used (NODE_DEBUG=corepin prints it once). */
  readonly reason: string;
}

/** Set to `0` to start process workers from the unbundled entry (to compare, or to debug one module). */
export const NO_BUNDLE_ENV = 'COREPIN_WORKER_BUNDLE';

const WORKER_DIR = fileURLToPath(new URL('../worker/', import.meta.url));
const DIST = fileURLToPath(new URL('../../../', import.meta.url));
const log = debuglog('corepin');
let cached: ProcessEntry | undefined;

/**
 * Decision (bench/history/bundle.md): a process worker starts `entryProcess.bundle.cjs`, the one-file
 * CommonJS bundle of entryProcess.js that the build writes after tsc (~13 % less CPU per start than
 * ~14 ESM files), only when the dist files it was built from still hash to what its first line
 * records; otherwise (no bundle, a bundle older than dist because tsc ran alone, an unreadable
 * header, or COREPIN_WORKER_BUNDLE=0) it starts entryProcess.js, which is always the current code.
 * A stale bundle therefore never runs; the cost is one read of ~14 small files per process.
 */
export function processEntry(env: NodeJS.ProcessEnv = process.env): ProcessEntry {
  if (env[NO_BUNDLE_ENV] === '0') return { file: join(WORKER_DIR, 'entryProcess.js'), bundled: false, reason: `${NO_BUNDLE_ENV}=0` };
  if (cached !== undefined) return cached;
  cached = bundleEntry(WORKER_DIR, DIST);
  log('process workers start %s (%s)', cached.file, cached.reason);
  return cached;
}

/** The decision of {@link processEntry} for the worker files in `workerDir` of the tree `dist` (tests give a copy). */
export function bundleEntry(workerDir: string, dist: string): ProcessEntry {
  const bundle = join(workerDir, 'entryProcess.bundle.cjs');
  const unbundled = (reason: string): ProcessEntry => ({ file: join(workerDir, 'entryProcess.js'), bundled: false, reason });
  let header: string;
  try {
    header = firstLine(bundle);
  } catch (err) {
    return unbundled(`no bundle at ${bundle} (${(err as NodeJS.ErrnoException).code ?? String(err)}); \`npm run build\` writes it`);
  }
  if (!header.startsWith(BUNDLE_TAG)) return unbundled(`${bundle} has no corepin-bundle header`);
  let recorded: { sha256?: unknown; inputs?: unknown };
  try {
    recorded = JSON.parse(header.slice(BUNDLE_TAG.length)) as typeof recorded;
  } catch {
    return unbundled(`${bundle} has an unreadable header`);
  }
  const { sha256, inputs } = recorded;
  if (typeof sha256 !== 'string' || !Array.isArray(inputs) || !inputs.every((f): f is string => typeof f === 'string')) {
    return unbundled(`${bundle} has an unreadable header`);
  }
  let now: string;
  try {
    now = bundleInputsHash(dist, inputs);
  } catch (err) {
    return unbundled(`a file ${bundle} was built from is gone (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (now !== sha256) return unbundled(`${bundle} is stale: dist changed since it was built (\`npm run build\` rebuilds it)`);
  return { file: bundle, bundled: true, reason: `bundle built from the current dist (sha256 ${sha256.slice(0, 12)})` };
}


function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16384);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const end = buf.subarray(0, n).indexOf(10);
    return buf.toString('utf8', 0, end < 0 ? n : end);
  } finally {
    closeSync(fd);
  }
}

/** Forget the decision (tests rebuild or remove the bundle within one process). */
export function resetProcessEntry(): void {
  cached = undefined;
}
