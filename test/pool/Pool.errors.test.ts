import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportNotFoundError, Pool } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: an export missing only in the worker that runs the task rejects with ExportNotFoundError, not a plain Error`, async (t) => {
    const marker = join(tmpdir(), `corepin-exports-once-${process.pid}-${kind}`);
    rmSync(marker, { force: true });
    process.env['COREPIN_TEST_EXPORTS_ONCE'] = marker;
    // One slot, one task per worker: the second task goes to a fresh worker that lacks `onlyFirst`.
    const pool = new Pool({ module: taskFixture('exportsOnce.mjs'), kind, workers: 1, maxTasksPerChild: 1, placement: 'none' });
    t.after(async () => {
      await pool.terminate();
      delete process.env['COREPIN_TEST_EXPORTS_ONCE'];
      rmSync(marker, { force: true });
    });
    assert.equal(await pool.apply('onlyFirst', []), 'first');
    const err = await pool.apply('onlyFirst', []).then(
      () => assert.fail('the second worker has no onlyFirst'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ExportNotFoundError, `got ${String(err)} (${(err as Error).constructor.name})`);
    assert.equal(err.code, 'ERR_POOL_EXPORT_NOT_FOUND');
    assert.equal(err.exportName, 'onlyFirst');
    assert.match(err.message, /"onlyFirst".*"other"/);
    assert.equal(await pool.apply('other', []), 'other', 'the pool still serves');
  });
}
