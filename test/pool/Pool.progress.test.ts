import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, TaskTimeoutError } from '../../src/index.js';
import { reportProgress } from '../../src/pool/worker/reportProgress.js';
import { taskFixture } from '../support/taskFixture.js';
import { PROGRESS, isPoolTagged, parseWorkerMessage } from '../../src/pool/protocol.js';

const progress = taskFixture('progress.mjs');

/** Calls apply with onProgress; records each value and whether the call had already settled when it came. */
function tracked<R>(pool: Pool, fn: string, args: unknown[], extra: { timeout?: number } = {}) {
  const values: unknown[] = [];
  const afterSettle: unknown[] = [];
  let settled = false;
  const result = pool
    .apply<R>(fn, args, {
      ...extra,
      onProgress: (v) => {
        if (settled) afterSettle.push(v);
        else values.push(v);
      },
    })
    .finally(() => (settled = true));
  result.catch(() => {});
  return { values, afterSettle, result };
}

test('PROGRESS messages: [tag, task id, value]; anything else tagged PROGRESS is malformed (the pool replaces such a worker)', () => {
  assert.deepEqual(parseWorkerMessage([PROGRESS, 3, { done: 1 }]), { type: PROGRESS, id: 3, value: { done: 1 } });
  for (const bad of [[PROGRESS], [PROGRESS, 'x', 1], [PROGRESS, 1.5, 1], [PROGRESS, 2], [PROGRESS, 2, 1, 1]]) {
    assert.equal(typeof parseWorkerMessage(bad), 'string', JSON.stringify(bad));
    assert.ok(isPoolTagged(bad));
  }
});

test('reportProgress outside a pool task: nobody listens, returns false', () => {
  assert.equal(reportProgress(1), false);
  assert.equal(reportProgress({ step: 'x' }), false);
});

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a task's progress reaches apply's onProgress in order, before the result; without onProgress it costs nothing and says so`, async (t) => {
    const pool = new Pool({ module: progress, kind, workers: 2 });
    t.after(() => pool.terminate());
    const a = tracked<boolean[]>(pool, 'steps', [5, 2]);
    assert.deepEqual(await a.result, [true, true, true, true, true, true], 'each report was sent');
    assert.deepEqual(a.values, [1, 2, 3, 4, 5, { done: 5 }], 'every value, in order, before the result');
    const b = tracked<number>(pool, 'burst', [300]);
    assert.equal(await b.result, 300);
    assert.deepEqual(b.values, Array.from({ length: 300 }, (_, i) => i + 1), 'a synchronous burst arrives whole and in order');
    // Several calls at once, on both workers: each call gets its own task's values only.
    const many = Array.from({ length: 8 }, (_, i) => tracked<boolean[]>(pool, 'steps', [i + 1, 1]));
    await Promise.all(many.map((m) => m.result));
    many.forEach((m, i) => assert.deepEqual(m.values, [...Array.from({ length: i + 1 }, (_, k) => k + 1), { done: i + 1 }], `call ${i}`));
    assert.deepEqual(await pool.apply('steps', [3]), [false, false, false, false], 'no onProgress: reportProgress sends nothing');
    assert.deepEqual(await pool.map('steps', [1, 2]), [[false, false], [false, false, false]], 'map tasks carry no progress');
    for (const m of [a, b, ...many]) assert.deepEqual(m.afterSettle, []);
  });

  test(`${kind}: progress is never delivered after its task settled, nor to the task that runs next`, async (t) => {
    const pool = new Pool({ module: progress, kind, workers: 1 });
    t.after(() => pool.terminate());
    // 'late' reports from a timer 30 ms after it returned, while 'waitAndReport' runs on the same worker.
    const first = tracked<string>(pool, 'late', [30]);
    const second = tracked<string>(pool, 'waitAndReport', [200]);
    assert.equal(await first.result, 'returned');
    assert.equal(await second.result, 'waited');
    await sleep(100);
    assert.deepEqual(first.values, ['before']);
    assert.deepEqual(first.afterSettle, [], 'the report made after the task returned is dropped');
    assert.deepEqual(second.values, ['mine'], "the next task's onProgress does not get the stray report");
    assert.deepEqual(second.afterSettle, []);
    // A task that times out: what it reported before counts, nothing after the rejection.
    const hung = tracked(pool, 'reportThenHang', [], { timeout: 300 });
    await assert.rejects(hung.result, TaskTimeoutError);
    await sleep(150);
    assert.equal(hung.values[0], 'started');
    assert.deepEqual(hung.afterSettle, []);
    assert.equal(await pool.apply('late', [1]), 'returned', 'the slot goes on with a fresh worker');
  });

  test(`${kind}: a value that is not progress fails the task with ERR_PROGRESS_VALUE, listened to or not`, async (t) => {
    const pool = new Pool({ module: progress, kind, workers: 1 });
    t.after(() => pool.terminate());
    for (const bad of ['fn', 'undef', 'symbol', 'bigint', 'nan', 'null']) {
      await assert.rejects(pool.apply('badValue', [bad], { onProgress: () => {} }), { code: 'ERR_PROGRESS_VALUE', message: /reportProgress/ }, bad);
      await assert.rejects(pool.apply('badValue', [bad]), { code: 'ERR_PROGRESS_VALUE' }, `${bad}, no listener`);
    }
    await assert.rejects(pool.apply('steps', [1], { onProgress: 'no' as unknown as () => void }), { code: 'ERR_POOL_OPTIONS', message: /onProgress/ });
  });
}
