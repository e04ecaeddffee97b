import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import { BUNDLE_TAG, bundleInputsHash } from './bundleInputsHash.js';

/** The file a worker starts, and why. */
export interface WorkerEntry {
  readonly file: string;
  readonly bundled: boolean;
  /** Why the bundle is or is not used (NODE_DEBUG=corepin prints it once per kind). */
  readonly reason: string;
}

/** Set to `0` to start workers from the unbundled entries (to compare, or to debug one module). */
export const NO_BUNDLE_ENV = 'COREPIN_WORKER_BUNDLE';

const ENTRY_NAME = { process: 'entryProcess', thread: 'entryThread' } as const;
const WORKER_DIR = fileURLToPath(new URL('../worker/', import.meta.url));
// dist/src/pool/worker -> dist (the bundle header's input paths are relative to it).
const DIST = join(WORKER_DIR, '..', '..', '..');
const log = debuglog('corepin');
const cached = new Map<'process' | 'thread', WorkerEntry>();

/**
 * Decision (bench/history/bundle.md): a worker starts `entryProcess.bundle.cjs` /
 * `entryThread.bundle.cjs`, the one-file CommonJS bundle of its entry that the build writes after
 * tsc (scripts/bundleWorkers.mjs; ~13–17 % less CPU per start than loading ~14 ES modules), only
 * when the dist files it was built from still hash to what its first line records. Otherwise (no
 * bundle, a bundle older than dist because tsc ran alone, an unreadable header, or
 * COREPIN_WORKER_BUNDLE=0) it starts the unbundled entry, which is always the current code. A stale
 * bundle therefore never runs; the cost is one read of ~14 small files per kind per process.
 */
export function workerEntry(kind: 'process' | 'thread', env: NodeJS.ProcessEnv = process.env): WorkerEntry {
  if (env[NO_BUNDLE_ENV] === '0') return { file: join(WORKER_DIR, `${ENTRY_NAME[kind]}.js`), bundled: false, reason: `${NO_BUNDLE_ENV}=0` };
  let entry = cached.get(kind);
  if (entry === undefined) {
    entry = bundleEntry(WORKER_DIR, DIST, ENTRY_NAME[kind]);
    cached.set(kind, entry);
    log('%s workers start %s (%s)', kind, entry.file, entry.reason);
  }
  return entry;
}

/** The decision of {@link workerEntry} for entry `name` in `workerDir` of the tree `dist` (tests give a copy). */
export function bundleEntry(workerDir: string, dist: string, name: string): WorkerEntry {
  const bundle = join(workerDir, `${name}.bundle.cjs`);
  const unbundled = (reason: string): WorkerEntry => ({ file: join(workerDir, `${name}.js`), bundled: false, reason });
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
