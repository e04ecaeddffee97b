import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool, PoolTerminatedError, QueueFullError } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

/*
 * close() is bounded: an imap iterator dropped without return() does not keep it waiting (detected
 * when it is garbage-collected), close({ timeout }) terminates whatever is left after the timeout,
 * and a worker whose initializer never finishes is killed after the exit grace period. imap keeps
 * within maxQueue and is never the reason an apply() is refused.
 */

const basic = taskFixture('basic.mjs');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Resolves with true once `p` settles, false if it has not after `ms` (a hang guard, not a timing assertion). */
async function settlesWithin(p: Promise<unknown>, ms: number, poke: () => void = () => {}): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  const end = Date.now() + ms;
  while (!done && Date.now() < end) {
    poke();
    await sleep(50);
  }
  return done;
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: close() ends although an imap iterator was dropped without return()`, { timeout: 60_000 }, async () => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    try {
      await (async () => {
        const it = pool.imap<number>('square', (function* () {
          for (let i = 0; ; i++) yield i;
        })());
        assert.equal((await it.next()).value, 0);
        // dropped here: no break, no return()
      })();
      assert.ok(await settlesWithin(pool.close(), 30_000, gc), 'close() ended once the dropped iterator was collected');
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: close({ timeout }) terminates what is still running when the timeout passes`, { timeout: 60_000 }, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    try {
      const it = pool.imap<number>('square', (function* () {
        for (let i = 0; ; i++) yield i;
      })());
      await it.next();
      const stuck = pool.apply('hangAsync');
      stuck.catch(() => {});
      assert.ok(await settlesWithin(pool.close({ timeout: 300 }), 30_000), 'close({ timeout }) ended');
      await assert.rejects(stuck, PoolTerminatedError);
      await assert.rejects(async () => {
        for (;;) if ((await it.next()).done) break;
      }, PoolTerminatedError);
      await assert.rejects(pool.close({ timeout: -1 }), { code: 'ERR_POOL_OPTIONS' });
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: close() while a worker's initializer never finishes: the worker is killed after the grace period`, { timeout: 60_000 }, async () => {
    const pool = new Pool({ module: taskFixture('init.mjs'), kind, workers: 1, initializer: 'hangSetup' });
    const exits: string[] = [];
    pool.on('workerExit', (e) => exits.push(e.reason));
    try {
      await sleep(200);
      assert.ok(await settlesWithin(pool.close(), 30_000), 'close() ended');
      assert.deepEqual(exits, ['closed']);
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: one apply at a time next to a running imap, maxQueue 50 — never refused; the imap keeps within maxQueue`, { timeout: 60_000 }, async () => {
    const pool = new Pool({ module: basic, kind, workers: 2, maxQueue: 50 });
    try {
      let most = 0;
      let done = false;
      const stream = (async () => {
        let n = 0;
        for await (const v of pool.imap<number>('square', Array.from({ length: 5000 }, (_, i) => i))) {
          if (v !== n * n) throw new Error(`result ${n} is ${v}`);
          n++;
          most = Math.max(most, pool.queueSize);
        }
        return n;
      })().finally(() => (done = true));
      let applied = 0;
      let refused = 0;
      while (!done) {
        try {
          assert.equal(await pool.apply('square', [applied]), applied * applied);
          applied++;
        } catch (e) {
          if (!(e instanceof QueueFullError)) throw e;
          refused++;
        }
        most = Math.max(most, pool.queueSize);
      }
      assert.equal(await stream, 5000);
      assert.equal(refused, 0, `${refused} applies refused next to the imap`);
      assert.ok(applied > 0);
      assert.ok(most <= 51, `queue held ${most} tasks: the imap's chunks (≤ 50) and the one apply`);
      await pool.close();
    } finally {
      await pool.terminate();
    }
  });
}
