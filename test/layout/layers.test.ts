import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importsOf, tsFiles } from '../support/importsOf.js';

/** The repository (tests run from dist/test/layout). */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SRC = join(REPO, 'src');

// The layers of docs/architecture.md, each with the layers it may import (data flows top to bottom;
// nothing imports from above; affinity and topology sit side by side over os; placement uses only
// topology and cpuset). `errors` is src/errors.ts, which gathers the low layers' classes.
const MAY_IMPORT: Record<string, readonly string[]> = {
  CorepinError: [],
  cpuset: ['CorepinError'],
  os: ['CorepinError', 'cpuset'],
  affinity: ['CorepinError', 'cpuset', 'os'],
  topology: ['CorepinError', 'cpuset', 'os'],
  errors: ['CorepinError', 'cpuset', 'os', 'affinity'],
  placement: ['CorepinError', 'cpuset', 'topology'],
  launch: ['CorepinError', 'errors', 'cpuset', 'os', 'affinity', 'topology'],
  pool: ['CorepinError', 'errors', 'cpuset', 'os', 'affinity', 'topology', 'placement', 'launch'],
  adapters: ['CorepinError', 'errors', 'cpuset', 'affinity', 'topology', 'placement', 'launch', 'pool'],
  queue: ['CorepinError', 'errors', 'cpuset', 'affinity', 'topology', 'placement', 'launch', 'pool'],
  cli: ['CorepinError', 'errors', 'cpuset', 'affinity', 'topology', 'placement', 'launch', 'pool', 'adapters', 'queue', 'package.json'],
  index: ['CorepinError', 'errors', 'cpuset', 'os', 'affinity', 'topology', 'placement', 'launch', 'pool'],
};

/** `src/pool/x.ts` → `pool`; `src/affinity.ts` and `src/affinity/…` → `affinity`; outside src: the path. */
function layerOf(path: string): string {
  // main.ts reads the package's version relative to its compiled place in dist/: any package.json is that one.
  if (path.endsWith('/package.json')) return 'package.json';
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return relative(REPO, path);
  return rel.split('/')[0]!.replace(/\.(c?ts|c?js)$/, '');
}

/** Each cross-layer import under src/: [from file, its layer, to file, its layer]. */
function crossImports(): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  for (const file of tsFiles(SRC)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const [from, to] = [layerOf(file), layerOf(target)];
      if (from !== to) out.push([relative(REPO, file), from, relative(REPO, target), to]);
    }
  }
  return out;
}

test('every layer imports only the layers below it (docs/architecture.md)', () => {
  const all = crossImports();
  assert.ok(all.length > 100, `found ${all.length} cross-layer imports`);
  const unknown = [...new Set(all.map(([, from]) => from))].filter((l) => MAY_IMPORT[l] === undefined);
  assert.deepEqual(unknown, [], 'a new top-level folder under src/: add it to the table with what it may import');
  const upward = all.filter(([, from, , to]) => !MAY_IMPORT[from]!.includes(to)).map(([f, , t]) => `${f} imports ${t}`);
  assert.deepEqual(upward, [], upward.join('\n'));
});

test('pool/ reaches the kernel only through os/fastPin (the workers\' pin), os/procfs (the binding check) and os/currentBackend, never the raw addon', () => {
  // os/cjsRequire reaches no kernel: it is the require the worker bundle swaps in (os/nativeAddon uses it too).
  const seams = ['src/os/fastPin.ts', 'src/os/procfs.ts', 'src/os/currentBackend.ts', 'src/os/cjsRequire.ts'];
  const fromPool = crossImports().filter(([, from, , to]) => from === 'pool' && to === 'os');
  assert.ok(fromPool.some(([, , t]) => t === 'src/os/fastPin.js'), 'the scan sees the fast pin import');
  const other = fromPool.filter(([, , t]) => !seams.includes(t.replace(/\.js$/, '.ts'))).map(([f, , t]) => `${f} imports ${t}`);
  assert.deepEqual(other, [], other.join('\n'));
});

test('the layer table catches an upward import (so the first test cannot pass by missing one)', () => {
  assert.equal(layerOf(join(SRC, 'affinity.ts')), 'affinity');
  assert.equal(layerOf(join(SRC, 'affinity/pinThreads.ts')), 'affinity');
  assert.equal(layerOf(join(SRC, 'pool/worker/runWorker.ts')), 'pool');
  assert.ok(!MAY_IMPORT['placement']!.includes('pool') && !MAY_IMPORT['os']!.includes('affinity') && !MAY_IMPORT['cli']!.includes('os'));
  assert.ok(!MAY_IMPORT['topology']!.includes('affinity') && !MAY_IMPORT['affinity']!.includes('topology'), 'affinity and topology side by side');
});
