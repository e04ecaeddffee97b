import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Pool } from '../../src/index.js';
import { childPids, procStat, stillRunning } from '../support/childPids.js';

/*
 * Nothing left behind: process workers die with their parent, even when it is SIGKILLed (the addon
 * sets a parent-death signal; the closing IPC channel is the fallback); close() and terminate()
 * leave no child; recycling workers does not leak file descriptors.
 */

const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const PARENT = fileURLToPath(new URL('../../../test/fixtures/reliability/poolParent.mjs', import.meta.url));
const INDEX = new URL('../../src/index.js', import.meta.url).href;
/** The promise of issue 6: every worker is gone this long after its parent was killed. */
const DEADLINE_MS = 2_000;
/**
 * 250, not 1,000: the check below allows no slack, so one descriptor kept by even 1 recycle in 250
 * fails it; 1,000 recycles with 2 descriptors of slack caught a leak only from 3 in 1,000 on, about
 * the same rate, at four times the cost (151 s of the suite's 711 s in CI for the two kinds).
 */
const RECYCLES = 250;
const WARM_UP = 20;

const fdCount = (): number => readdirSync('/proc/self/fd').length;

for (const mode of ['idle', 'busy'] as const) {
  test(`parent SIGKILLed with ${mode === 'idle' ? 'idle workers' : 'workers stuck in an endless synchronous task'}: every process worker exits within 2 s`, { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corepin-orphans-'));
    const parent = spawn(process.execPath, [PARENT, INDEX, MODULE, mode, join(dir, 'runs.log')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
      const pids = JSON.parse(line.toString()) as number[];
      assert.equal(pids.length, 2);
      const workers = pids.map((pid) => ({ pid, starttime: procStat(pid)!.starttime }));
      for (const w of workers) assert.ok(stillRunning(w.pid, w.starttime), `worker ${w.pid} runs before the parent dies`);

      const exited = once(parent, 'exit');
      parent.kill('SIGKILL');
      await exited;
      const deadline = Date.now() + DEADLINE_MS;
      let left = workers;
      while (left.length > 0 && Date.now() < deadline) {
        await sleep(20);
        left = left.filter((w) => stillRunning(w.pid, w.starttime));
      }
      assert.deepEqual(left.map((w) => w.pid), [], `workers still running ${DEADLINE_MS} ms after their parent was killed`);
    } finally {
      parent.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('after close() and after terminate(), no child process of the pool remains', { timeout: 60_000 }, async () => {
  assert.deepEqual(childPids(), [], 'no child before the test');
  const a = new Pool({ module: MODULE, kind: 'process', workers: 2, maxTasksPerChild: 3 });
  assert.deepEqual(await a.map('work', [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 1 }), [2, 4, 6, 8, 10, 12, 14, 16]);
  await a.close();
  assert.deepEqual(childPids(), [], 'after close()');

  const b = new Pool({ module: MODULE, kind: 'process', workers: 2 });
  await b.ready();
  const pending = [b.apply('spinForever', [1]), b.apply('slow', [2]), b.apply('work', [3])].map((p) => p.then(() => 'resolved', (e: Error) => e.name));
  await b.terminate();
  assert.deepEqual(childPids(), [], 'after terminate()');
  const [spin, slow, quick] = await Promise.all(pending);
  assert.deepEqual([spin, slow], ['PoolTerminatedError', 'PoolTerminatedError']);
  assert.ok(quick === 'resolved' || quick === 'PoolTerminatedError', `a quick task ${quick}`);
});

/** Counts `pool`'s recycled workers; `reach(n)` resolves with the count once it is n, or 10 s after the call. */
function recycleCounter(pool: Pool): { reach(n: number): Promise<number> } {
  let exits = 0;
  const waiters = new Set<() => void>();
  pool.on('workerExit', (e) => {
    if (e.reason !== 'recycled') return;
    exits++;
    for (const w of [...waiters]) w();
  });
  return {
    reach: (n) =>
      new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(exits);
        };
        const check = (): void => {
          if (exits >= n) done();
        };
        const timer = setTimeout(done, 10_000);
        waiters.add(check);
        check();
      }),
  };
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind} pool: open file descriptors do not grow over ${RECYCLES} recycles (maxTasksPerChild: 1)`, { timeout: 240_000 }, async () => {
    const pool = new Pool({ module: MODULE, kind, workers: 2, maxTasksPerChild: 1 });
    try {
      // Warm up first: the first recycles open what stays open (the addon, module caches, the pipe to the test runner).
      // A process worker's exit is reported on 'close', after its pipes closed; a thread's after its loop closed.
      const recycled = recycleCounter(pool);
      await pool.map('work', Array.from({ length: WARM_UP }, (_, i) => i), { chunksize: 1 });
      assert.equal(await recycled.reach(WARM_UP), WARM_UP, `${WARM_UP} warm-up workers were recycled`);
      await pool.ready();
      const before = fdCount();
      const out = await pool.map('work', Array.from({ length: RECYCLES }, (_, i) => i), { chunksize: 1 });
      assert.equal(out.length, RECYCLES);
      assert.equal(await recycled.reach(WARM_UP + RECYCLES), WARM_UP + RECYCLES, `${RECYCLES} more workers were recycled`);
      await pool.ready();
      // Same state as at `before` (two idle fresh workers); give a descriptor that is closing a moment.
      for (let i = 0; i < 50 && fdCount() > before; i++) await sleep(20);
      const after = fdCount();
      assert.ok(after <= before, `file descriptors grew from ${before} to ${after} over ${RECYCLES} recycles`);
    } finally {
      await pool.close();
    }
  });
}
