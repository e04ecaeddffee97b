import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool, WorkerCrashedError } from '../../src/index.js';
import { procStat } from '../support/childPids.js';
import { taskFixture } from '../support/taskFixture.js';

/*
 * A task handed to a worker that is already dead (its exit not yet seen by the pool, because the
 * pool's thread was busy) never ran. The pool must not blame it as "killed while running this
 * task": when the worker's last words say it ran nothing, the task goes to another worker; when the
 * worker left no last words (SIGKILL), the error says the task may not have started.
 */

const basic = taskFixture('basic.mjs');

/** Blocks this thread (no event is processed meanwhile), as a busy parent would be. */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Blocks until `pid` has exited (zombie or gone), at most `ms`. */
function blockUntilDead(pid: number, ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const s = procStat(pid);
    if (s === null || s.state === 'Z' || s.state === 'X') return;
    blockFor(5);
  }
  throw new Error(`worker ${pid} still runs after ${ms} ms`);
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: a task sent to a worker that already exited on its own (pool busy, exit unseen) runs on the next worker`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    try {
      await pool.ready();
      const before = pool.bindings()[0]!;
      // The worker exits 30 ms after answering; the pool's thread is blocked meanwhile.
      assert.equal(await pool.apply('exitLater', [30]), 30);
      if (kind === 'process') blockUntilDead(before.pid!, 5000);
      else blockFor(500);
      assert.equal(await pool.apply('square', [7]), 49, 'the task was never started, so it is run, not blamed');
      assert.notEqual(pool.bindings()[0]!.tid, before.tid, 'by a fresh worker');
    } finally {
      await pool.terminate();
    }
  });
}

test('process: a task sent to a worker SIGKILLed while idle (no last words) is rejected as "may not have started"', async () => {
  const pool = new Pool({ module: basic, kind: 'process', workers: 1 });
  try {
    await pool.ready();
    const pid = pool.bindings()[0]!.pid!;
    process.kill(pid, 'SIGKILL');
    blockUntilDead(pid, 5000);
    await assert.rejects(pool.apply('square', [3]), (e: WorkerCrashedError) => {
      assert.ok(e instanceof WorkerCrashedError);
      assert.equal(e.signal, 'SIGKILL');
      assert.match(e.message, /may not have started/);
      assert.doesNotMatch(e.message, /while running this task/);
      return true;
    });
    assert.equal(await pool.apply('square', [4]), 16, 'the slot has a fresh worker');
  } finally {
    await pool.terminate();
  }
});
