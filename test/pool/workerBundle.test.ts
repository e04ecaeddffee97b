import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, usableCpus } from '../../src/index.js';
import { bundleEntry, NO_BUNDLE_ENV, workerEntry } from '../../src/pool/runtime/workerEntry.js';
import { BUNDLE_TAG, bundleInputsHash } from '../../src/pool/runtime/bundleInputsHash.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { taskFixture } from '../support/taskFixture.js';

// The workers' one-file CommonJS bundles (scripts/bundleWorkers.mjs, src/pool/runtime/workerEntry.ts):
// used only when built from the current dist, and a bundled worker loads the addon, pins, and
// imports ESM and CommonJS task modules as the unbundled one does.

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const WORKER_DIR = join(DIST, 'src/pool/worker');
const BUNDLE = join(WORKER_DIR, 'entryProcess.bundle.cjs');
const THREAD_BUNDLE = join(WORKER_DIR, 'entryThread.bundle.cjs');
const ROOT = join(DIST, '..');

function header(file: string): { sha256: string; inputs: string[] } {
  const line = readFileSync(file, 'utf8').split('\n', 1)[0]!;
  assert.ok(line.startsWith(BUNDLE_TAG), `${file} has no bundle header`);
  return JSON.parse(line.slice(BUNDLE_TAG.length)) as { sha256: string; inputs: string[] };
}

/** The .node files `pid` has mapped: the addon is really loaded there. */
function mappedAddons(pid: number): string[] {
  return [...new Set(readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').map((l) => l.split(/\s+/).pop()!).filter((f) => f.endsWith('.node')))];
}

test('the build bundles both worker entries from the current dist, and pools start those bundles', () => {
  for (const [kind, file, entry] of [['process', BUNDLE, 'entryProcess'], ['thread', THREAD_BUNDLE, 'entryThread']] as const) {
    const e = workerEntry(kind, {});
    assert.equal(e.bundled, true, `${kind} workers would not start the bundle: ${e.reason} (npm run build, npm test and npm ci write it after tsc)`);
    assert.equal(e.file, file);
    const h = header(file);
    // Everything the entry imports statically is in it (its own file and the modules every worker runs).
    for (const f of [`src/pool/worker/${entry}.js`, 'src/pool/worker/runWorker.js', 'src/os/nativeAddon.js']) assert.ok(h.inputs.includes(f), `${f} is not in the ${kind} bundle`);
    assert.equal(bundleInputsHash(DIST, h.inputs), h.sha256);
    assert.deepEqual(workerEntry(kind, { [NO_BUNDLE_ENV]: '0' }), { file: join(WORKER_DIR, `${entry}.js`), bundled: false, reason: `${NO_BUNDLE_ENV}=0` });
  }
});

test('every package script that runs tsc rebuilds the bundle after it', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const withTsc = Object.entries(scripts).filter(([, s]) => /\btsc\b/.test(s) && !/--noEmit/.test(s));
  assert.ok(withTsc.some(([n]) => n === 'prepare'), 'prepare (what npm ci and a git install run) builds with tsc');
  for (const [name, s] of withTsc) {
    const tsc = s.search(/\btsc\b/);
    const b = s.indexOf('node scripts/bundleWorkers.mjs');
    assert.ok(b > tsc, `script ${name} runs tsc without bundling after it: ${s}`);
  }
});

test('a bundle that does not match the dist files beside it is never started: the unbundled entry is, with the reason', (t) => {
  // A copy of the bundle and of the files it was built from, laid out as in dist.
  const dir = mkdtempSync(join(tmpdir(), `corepin-bundle-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const workerDir = join(dir, 'src/pool/worker');
  const { inputs } = header(BUNDLE);
  for (const f of [...inputs, 'src/pool/worker/entryProcess.bundle.cjs']) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(DIST, f), join(dir, f));
  }
  assert.equal(bundleEntry(workerDir, dir, 'entryProcess').bundled, true, 'an exact copy is current');

  // tsc ran alone after a source change: one input differs from what the bundle was built from.
  const changed = join(dir, 'src/pool/worker/runWorker.js');
  const original = readFileSync(changed);
  appendFileSync(changed, '\n// edited\n');
  let e = bundleEntry(workerDir, dir, 'entryProcess');
  assert.deepEqual([e.bundled, e.file], [false, join(workerDir, 'entryProcess.js')]);
  assert.match(e.reason, /is stale: dist changed since it was built \(`npm run build` rebuilds it\)/);
  writeFileSync(changed, original);
  assert.equal(bundleEntry(workerDir, dir, 'entryProcess').bundled, true, 'the same bytes again: current');

  rmSync(join(dir, 'src/os/nativeAddon.js'));
  assert.match(bundleEntry(workerDir, dir, 'entryProcess').reason, /a file .* was built from is gone \(ENOENT\)/);

  const bundle = join(workerDir, 'entryProcess.bundle.cjs');
  writeFileSync(bundle, `${BUNDLE_TAG}{not json\n"use strict";\n`);
  assert.match(bundleEntry(workerDir, dir, 'entryProcess').reason, /unreadable header/);
  writeFileSync(bundle, '"use strict";\n');
  assert.match(bundleEntry(workerDir, dir, 'entryProcess').reason, /no corepin-bundle header/);
  rmSync(bundle);
  e = bundleEntry(workerDir, dir, 'entryProcess');
  assert.equal(e.bundled, false);
  assert.match(e.reason, /no bundle at .*ENOENT.*`npm run build` writes it/);
});

test('a bundled worker finds the addon from its own file, pins every thread, and imports ESM and CommonJS task modules', async (t) => {
  const cpu = String(usableCpus().last);
  // An empty COREPIN_ADDON_PATH: the worker searches for the addon (node-gyp-build) from where the
  // bundle is, as a worker of a pool that loaded no addon itself would. With placement 'none' only
  // the bundle's own code loads the addon (dieWithParent); a pinned worker whose bundled fast path
  // found no addon would load it through the unbundled pin() instead, which hides a broken path.
  const env = { ...process.env, COREPIN_ADDON_PATH: '' };
  const cases = [
    { module: taskFixture('basic.mjs'), placement: 'none' as const },
    { module: taskFixture('basic.mjs'), placement: [cpu] },
    { module: taskFixture('plainCommonJs.cjs'), placement: [cpu] },
  ];
  for (const c of cases) {
    const pool = new Pool({ module: c.module, kind: 'process', workers: 1, placement: c.placement, env });
    t.after(() => pool.terminate());
    await pool.ready();
    const [b] = pool.bindings();
    const pid = b!.pid!;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(cmdline.includes(BUNDLE), `worker ${pid} runs ${cmdline.join(' ')}`);
    const addons = mappedAddons(pid);
    assert.equal(addons.length, 1, `worker ${pid} (placement ${JSON.stringify(c.placement)}) has mapped ${JSON.stringify(addons)}`);
    assert.match(addons[0]!, /corepin(\.glibc)?\.node$/);
    if (c.placement !== 'none') {
      assert.equal(b!.verified, true);
      for (const [tid, cpus] of cpusOfEveryThread(pid)) assert.equal(cpus, cpu, `thread ${tid} of worker ${pid}`);
    }
    assert.equal(await pool.apply('square', [7]), 49);
    assert.equal(await pool.apply('default', [21]), 42);
    await pool.close();
  }
});

test('a bundled thread worker pins its thread and imports ESM and CommonJS task modules', async (t) => {
  const cpu = String(usableCpus().last);
  for (const module of [taskFixture('loadedFiles.mjs'), taskFixture('plainCommonJs.cjs')]) {
    const pool = new Pool({ module, kind: 'thread', workers: 1, placement: [cpu] });
    t.after(() => pool.terminate());
    await pool.ready();
    const [b] = pool.bindings();
    assert.equal(b!.verified, true);
    assert.equal(cpusOfThread(b!.pid!, b!.tid!), cpu);
    if (module.endsWith('.mjs')) {
      const files = await pool.apply<string[]>('commonJsFiles', []);
      assert.ok(files.includes(THREAD_BUNDLE), `the thread worker loaded ${JSON.stringify(files)}`);
    } else {
      assert.equal(await pool.apply('square', [7]), 49);
      assert.equal(await pool.apply('default', [21]), 42);
    }
    await pool.close();
  }
});
