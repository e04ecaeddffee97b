import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, WorkerStartupError } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

// CommonJS task modules are loaded with require() (src/pool/commonJsTaskModule.ts): a fresh worker
// then never runs Node's ES module loader, ~10–13 % of its start-up (bench/history/recycle4.md).
// Node's bootstrap loads `esm/loader` in every process; `esm/module_job` comes only with import().
const IMPORT_RAN = 'NativeModule internal/modules/esm/module_job';
const PROBE = `exports.loaded = () => process.moduleLoadList.includes(${JSON.stringify(IMPORT_RAN)});
`;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), `corepin-cjs-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('process: a CommonJS task module (.cjs, or .js in a package without "type") never starts the ES module loader in the worker', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe' }));
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  writeFileSync(join(dir, 'probe.js'), PROBE);
  for (const file of ['probe.cjs', 'probe.js']) {
    const pool = new Pool({ module: join(dir, file), kind: 'process', workers: 1, maxTasksPerChild: 1 });
    try {
      for (let i = 0; i < 2; i++) assert.equal(await pool.apply('loaded', []), false, `${file}, worker ${i}: import() ran`);
    } finally {
      await pool.close();
    }
  }
});

test('process: ES modules, a .js in a "type": "module" package, and any pool with --import keep import()', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', type: 'module' }));
  const esm = `export const loaded = () => process.moduleLoadList.includes(${JSON.stringify(IMPORT_RAN)});\n`;
  writeFileSync(join(dir, 'probe.js'), esm);
  writeFileSync(join(dir, 'probe.mjs'), esm);
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  writeFileSync(join(dir, 'noop.mjs'), '');
  const cases = [
    { module: join(dir, 'probe.js'), execArgv: [] },
    { module: join(dir, 'probe.mjs'), execArgv: [] },
    // Customization hooks see import() only: a CommonJS module is imported as before.
    { module: join(dir, 'probe.cjs'), execArgv: ['--import', join(dir, 'noop.mjs')] },
  ];
  for (const c of cases) {
    const pool = new Pool({ ...c, kind: 'process', workers: 1 });
    try {
      assert.equal(await pool.apply('loaded', []), true, `${c.module} ${c.execArgv.join(' ')}`);
    } finally {
      await pool.close();
    }
  }
});

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a required CommonJS module has import()'s exports: default is module.exports, its keys are named exports`, async () => {
    const pool = new Pool({ module: taskFixture('plainCommonJs.cjs'), kind, workers: 1 });
    try {
      assert.equal(await pool.apply('default', [21]), 42);
      assert.equal(await pool.apply('square', [7]), 49);
    } finally {
      await pool.close();
    }
  });

  test(`${kind}: a CommonJS module that throws while loading stops the pool with WorkerStartupError, its error as cause`, async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'broken.cjs'), "throw new SyntaxError('this module cannot be required');\n");
    const pool = new Pool({ module: join(dir, 'broken.cjs'), kind, workers: 1 });
    await assert.rejects(pool.ready(), (e: WorkerStartupError) => {
      assert.equal(e.code, 'ERR_WORKER_STARTUP');
      assert.match(e.message, /importing .*broken\.cjs failed.*SyntaxError: this module cannot be required/);
      assert.equal((e.cause as Error).name, 'SyntaxError');
      return true;
    });
    await pool.close();
  });
}
