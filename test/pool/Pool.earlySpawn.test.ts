import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool, PoolTerminatedError, WorkerCrashedError, usableCpus } from '../../src/index.js';
import { childrenOf } from '../support/childrenOf.js';
import { taskFixture } from '../support/taskFixture.js';

// maxTasksPerChild: a worker handed its last task gets its successor started at once, so the
// successor's start overlaps that task. These are the attacks on that overlap: close/terminate while
// the successor starts, the old worker crashing meanwhile, the successor killed meanwhile, and a
// slot never holding more than one worker beyond its own nor running two tasks at once.

const basic = taskFixture('basic.mjs');

/** Resolves once `pred` holds (polled every 5 ms); rejects after `ms`. */
async function until(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Samples how many children this process has, every 2 ms, until stopped; returns the maximum. */
function watchChildren(): () => number {
  let max = 0;
  const t = setInterval(() => (max = Math.max(max, childrenOf(process.pid).length)), 2);
  return () => {
    clearInterval(t);
    return max;
  };
}

test('process, maxTasksPerChild 1: the successor starts while the last task runs, pinned to the same CPUs', async (t) => {
  if (usableCpus().size < 1) return t.skip('no usable CPU');
  const pool = new Pool({ module: basic, kind: 'process', workers: 1, maxTasksPerChild: 1 });
  t.after(() => pool.terminate());
  await pool.ready();
  const [slotCpus] = pool.bindings().map((b) => b.cpus!.toList());
  const first = pool.apply<{ pid: number; threads: Record<string, string> }>('processCpusSlowly', [400]);
  await until(() => childrenOf(process.pid).length === 2, 'the successor to be spawned while the task runs');
  const a = await first;
  const b = await pool.apply<{ pid: number; threads: Record<string, string> }>('processCpus', []);
  assert.notEqual(a.pid, b.pid, 'the second task ran in the successor');
  for (const r of [a, b]) for (const cpus of Object.values(r.threads)) assert.equal(cpus, slotCpus, 'every thread on the slot\'s CPUs');
  await pool.close();
  assert.deepEqual(childrenOf(process.pid), [], 'no child left after close()');
});

for (const how of ['close', 'terminate'] as const) {
  test(`process: ${how}() while a successor is starting — the last task settles once, no child is left`, async (t) => {
    const pool = new Pool({ module: basic, kind: 'process', workers: 1, maxTasksPerChild: 1 });
    t.after(() => pool.terminate());
    await pool.ready();
    let settled = 0;
    const task = pool.apply<number>('pidSlowly', [300]);
    const outcome = task.then((v) => (settled++, v), (e: unknown) => (settled++, e));
    await until(() => childrenOf(process.pid).length === 2, 'the successor to be spawned');
    await pool[how]();
    const got = await outcome;
    if (how === 'close') assert.equal(typeof got, 'number', 'close() lets the last task finish');
    else assert.ok(got instanceof PoolTerminatedError, `terminate() rejects the last task, got ${String(got)}`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, 1, 'settled exactly once');
    assert.deepEqual(childrenOf(process.pid), [], `no child left after ${how}()`);
  });
}

test('process: the old worker crashes while its successor starts — its task rejects once, the successor takes over, no third worker', async (t) => {
  const pool = new Pool({ module: basic, kind: 'process', workers: 1, maxTasksPerChild: 1 });
  t.after(() => pool.terminate());
  await pool.ready();
  const [slotCpus] = pool.bindings().map((b) => b.cpus!.toList());
  const stop = watchChildren();
  await assert.rejects(pool.apply('crashLater', [20]), WorkerCrashedError);
  const r = await pool.apply<{ pid: number; threads: Record<string, string> }>('processCpus', []);
  for (const cpus of Object.values(r.threads)) assert.equal(cpus, slotCpus);
  assert.ok(stop() <= 2, 'never more than one worker beyond the slot\'s own');
  await pool.close();
  assert.deepEqual(childrenOf(process.pid), [], 'no child left after close()');
});

test('process: the successor is SIGKILLed while the last task runs — the task still resolves, a new successor serves the slot', async (t) => {
  const pool = new Pool({ module: basic, kind: 'process', workers: 1, maxTasksPerChild: 1 });
  t.after(() => pool.terminate());
  await pool.ready();
  const [first] = pool.bindings().map((b) => b.pid!);
  const [slotCpus] = pool.bindings().map((b) => b.cpus!.toList());
  const task = pool.apply<number>('pidSlowly', [400]);
  await until(() => childrenOf(process.pid).length === 2, 'the successor to be spawned');
  const successor = childrenOf(process.pid).find((p) => p !== first)!;
  process.kill(successor, 'SIGKILL');
  assert.equal(await task, first, 'the last task ran on the old worker and resolved');
  const r = await pool.apply<{ pid: number; threads: Record<string, string> }>('processCpus', []);
  assert.ok(r.pid !== first && r.pid !== successor, 'a fresh successor ran the next task');
  for (const cpus of Object.values(r.threads)) assert.equal(cpus, slotCpus);
  await pool.close();
  assert.deepEqual(childrenOf(process.pid), [], 'no child left after close()');
});

test('process, maxTasksPerChild 1: a successor that is ready gets no task while its predecessor still runs one; never more than two workers', async (t) => {
  const pool = new Pool({ module: basic, kind: 'process', workers: 1, maxTasksPerChild: 1 });
  t.after(() => pool.terminate());
  await pool.ready();
  let starts = 0;
  pool.on('workerStart', () => starts++);
  const stop = watchChildren();
  const long = pool.apply<[number, number]>('span', [1500]);
  // The successor is up (READY) while the first task still runs: the pool has one worker's worth of
  // room, so the next task must wait for the first to end.
  await until(() => starts === 1, 'the successor to be ready');
  const next = [pool.apply<[number, number]>('span', [10]), pool.apply<[number, number]>('span', [10])];
  const spans = await Promise.all([long, ...next]);
  const most = stop();
  assert.ok(most <= 2, `at most the slot's worker and its successor alive at once (saw ${most})`);
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `task ${i} started after task ${i - 1} ended, on the pool's one slot`);
  await pool.close();
  assert.deepEqual(childrenOf(process.pid), [], 'no child left after close()');
});
