import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AbortError,
  Pool,
  PoolClosedError,
  PoolTerminatedError,
  QueueFullError,
  TaskTimeoutError,
  WorkerCrashedError,
  WorkerStartupError,
} from '../../src/index.js';
import { childrenOf } from '../support/childrenOf.js';
import { taskFixture } from '../support/taskFixture.js';

const basic = taskFixture('basic.mjs');

test('a missing task module fails at new Pool(), before any worker starts', () => {
  assert.throws(() => new Pool({ module: '/nonexistent/tasks.mjs' }), { name: 'TaskModuleNotFoundError', code: 'ERR_POOL_MODULE_NOT_FOUND' });
  assert.throws(() => new Pool({ module: new URL('file:///nonexistent/x.mjs'), kind: 'thread' }), { code: 'ERR_POOL_MODULE_NOT_FOUND' });
  assert.throws(() => new Pool({ module: 'https://example.com/x.mjs' }), { code: 'ERR_POOL_OPTIONS' });
  assert.deepEqual(childrenOf(process.pid), [], 'no worker was started');
});

test('bad options are PoolOptionsError naming the option', () => {
  const bad: [object, RegExp][] = [
    [{ workers: 0 }, /workers/],
    [{ workers: 1.5 }, /workers/],
    [{ kind: 'fiber' }, /kind/],
    [{ maxTasksPerChild: 0 }, /maxTasksPerChild/],
    [{ maxQueue: -1 }, /maxQueue/],
    [{ taskTimeout: 0 }, /taskTimeout/],
    [{ initializer: '' }, /initializer/],
    [{ serialization: 'xml' }, /serialization/],
  ];
  for (const [opts, msg] of bad) {
    assert.throws(() => new Pool({ module: basic, ...opts } as never), (e: Error & { code?: string }) => e.code === 'ERR_POOL_OPTIONS' && msg.test(e.message));
  }
});

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: close() lets accepted tasks finish, refuses new ones, and leaves no worker`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    const exits: string[] = [];
    pool.on('workerExit', (e) => exits.push(e.reason));
    const accepted = Array.from({ length: 10 }, (_, i) => pool.apply<number>('slowSquare', [i, 20]));
    const stream = pool.imap<number>('square', [1, 2, 3]);
    const closed = pool.close();
    await assert.rejects(pool.apply('square', [1]), PoolClosedError);
    await assert.rejects(pool.map('square', [1]), { code: 'ERR_POOL_CLOSED' });
    await assert.rejects(pool.imap('square', [1]).next(), { code: 'ERR_POOL_CLOSED' });
    assert.deepEqual(await Promise.all(accepted), Array.from({ length: 10 }, (_, i) => i * i));
    const streamed: number[] = [];
    for await (const v of stream) streamed.push(v);
    assert.deepEqual(streamed, [1, 4, 9], 'an imap started before close() streams to its end');
    await closed;
    assert.deepEqual(exits, ['closed', 'closed']);
    assert.ok(pool.bindings().every((b) => b.pid === null));
    if (kind === 'process') assert.deepEqual(childrenOf(process.pid), []);
    await pool.close(); // again: fine
  });

  test(`${kind}: terminate() rejects queued and running tasks with PoolTerminatedError and leaves no worker`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    await pool.ready();
    const tasks = Promise.allSettled([pool.apply('hang'), pool.apply('hangAsync'), ...Array.from({ length: 5 }, () => pool.apply('square', [2]))]);
    const first = assert.rejects(pool.imap('hang', [1, 2]).next(), PoolTerminatedError);
    await new Promise((r) => setTimeout(r, 50));
    await pool.terminate();
    for (const s of await tasks) {
      assert.equal(s.status, 'rejected');
      assert.ok((s as PromiseRejectedResult).reason instanceof PoolTerminatedError);
    }
    await first;
    await assert.rejects(pool.apply('square', [1]), PoolTerminatedError);
    if (kind === 'process') assert.deepEqual(childrenOf(process.pid), []);
  });

  test(`${kind}: await using terminates the pool at the end of the block`, async () => {
    let pids: (number | null)[] = [];
    {
      await using pool = new Pool({ module: basic, kind, workers: 1 });
      assert.equal(await pool.apply('square', [4]), 16);
      pids = pool.bindings().map((b) => b.pid);
    }
    assert.ok(pids[0]);
    if (kind === 'process') assert.deepEqual(childrenOf(process.pid), []);
  });

  test(`${kind}: timeout counts from when the task starts, not from when it was queued`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    try {
      await pool.ready();
      // Ten 150 ms tasks on one worker: the last waits ~1.35 s in the queue, but runs only 150 ms.
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => pool.apply<number>('slowSquare', [i, 150], { timeout: 1000 })));
      assert.deepEqual(results, Array.from({ length: 10 }, (_, i) => i * i));
      const before = (await pool.apply<{ tid: number }>('threadCpus')).tid;
      const errors: unknown[] = [];
      pool.on('taskError', (e) => errors.push(e.error));
      await assert.rejects(pool.apply('hang', [], { timeout: 100 }), (e: TaskTimeoutError) => e instanceof TaskTimeoutError && e.timeout === 100 && e.code === 'ERR_TASK_TIMEOUT');
      assert.ok(errors[0] instanceof TaskTimeoutError, 'reported as a taskError event');
      assert.notEqual((await pool.apply<{ tid: number }>('threadCpus')).tid, before, 'the stuck worker was replaced (its OS thread id differs)');
      assert.equal(await pool.apply('square', [6]), 36);
      await assert.rejects(pool.map('spin', [10, 10, 2000], { chunksize: 1, timeout: 500 }), TaskTimeoutError);
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: taskTimeout is every task's default timeout`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1, taskTimeout: 100 });
    try {
      await assert.rejects(pool.apply('hangAsync'), TaskTimeoutError);
      assert.equal(await pool.apply('square', [2], { timeout: 5000 }), 4);
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: an AbortSignal stops queued and running tasks`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    try {
      await pool.ready();
      await assert.rejects(pool.apply('square', [1], { signal: AbortSignal.abort('early') }), (e: AbortError) => e.name === 'AbortError' && e.code === 'ABORT_ERR' && e.cause === 'early');
      const ac = new AbortController();
      const running = pool.apply('hang', [], { signal: ac.signal });
      const queued = pool.apply('fail', ['must never run'], { signal: ac.signal });
      const errors: unknown[] = [];
      pool.on('taskError', (e) => errors.push(e.error));
      await new Promise((r) => setTimeout(r, 100));
      ac.abort(new Error('stop'));
      await assert.rejects(running, AbortError);
      await assert.rejects(queued, AbortError);
      assert.equal(errors.length, 0, 'the queued task never ran (it would have thrown)');
      assert.equal(await pool.apply('square', [7]), 49, 'a fresh worker took over');

      const ac2 = new AbortController();
      const mapped = pool.map('slowSquare', [1, 2, 3, 4], { chunksize: 1, signal: ac2.signal });
      setTimeout(() => ac2.abort(), 10);
      await assert.rejects(mapped, AbortError);

      const ac3 = new AbortController();
      const got: number[] = [];
      await assert.rejects(
        (async () => {
          for await (const v of pool.imap<number>('slowSquare', [1, 2, 3, 4, 5, 6], { signal: ac3.signal })) {
            got.push(v);
            if (got.length === 2) ac3.abort();
          }
        })(),
        AbortError,
      );
      assert.deepEqual(got, [1, 4]);
      assert.equal(await pool.apply('square', [3]), 9);
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: maxQueue refuses tasks beyond it with QueueFullError`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1, maxQueue: 3 });
    try {
      const calls = Array.from({ length: 8 }, (_, i) => pool.apply<number>('square', [i]));
      const settled = await Promise.allSettled(calls);
      assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
      assert.ok((settled[3] as PromiseRejectedResult).reason instanceof QueueFullError);
      await assert.rejects(pool.map('square', [1, 2, 3, 4, 5], { chunksize: 1 }), QueueFullError);
      assert.deepEqual(await pool.map('square', [1, 2, 3, 4, 5], { chunksize: 2 }), [1, 4, 9, 16, 25]);
      let n = 0;
      let most = 0;
      for await (const v of pool.imap<number>('square', Array.from({ length: 50 }, (_, i) => i))) {
        assert.equal(v, n * n);
        n++;
        most = Math.max(most, pool.queueSize);
      }
      assert.equal(n, 50);
      assert.ok(most <= 3, `imap streams within maxQueue: at most ${most} of its chunks waited, maxQueue is 3`);
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: a module that cannot be imported stops the pool with WorkerStartupError (no respawn loop)`, async () => {
    const pool = new Pool({ module: taskFixture('broken.mjs'), kind, workers: 2 });
    let starts = 0;
    pool.on('workerExit', () => starts++);
    await assert.rejects(pool.ready(), (e: WorkerStartupError) => {
      assert.equal(e.code, 'ERR_WORKER_STARTUP');
      assert.match(e.message, /importing .*broken\.mjs failed.*SyntaxError: this module cannot be imported/);
      assert.equal((e.cause as Error).name, 'SyntaxError');
      return true;
    });
    await assert.rejects(pool.apply('square', [1]), WorkerStartupError);
    await pool.close();
    assert.ok(starts <= 2, `at most one start per slot, saw ${starts}`);
  });

  test(`${kind}: an initializer that keeps failing stops the pool after maxStartupFailures`, async () => {
    for (const initializer of ['failSetup', 'exitSetup']) {
      const pool = new Pool({ module: taskFixture('init.mjs'), kind, workers: 2, initializer, maxStartupFailures: 3 });
      let exits = 0;
      pool.on('workerExit', () => exits++);
      const task = pool.apply('state');
      await assert.rejects(task, (e: WorkerStartupError) => e instanceof WorkerStartupError && e.attempts === 3);
      await pool.close();
      assert.ok(exits >= 3 && exits <= 6, `${initializer}: 3 tries in one slot, at most 6 in all (saw ${exits})`);
    }
    const missing = new Pool({ module: taskFixture('init.mjs'), kind, workers: 1, initializer: 'notAFunction' });
    await assert.rejects(missing.ready(), (e: WorkerStartupError) => (e.cause as Error).name === 'ExportNotFoundError' && /notAFunction/.test(e.message));
    await missing.close();
  });

  test(`${kind}: workers that die right after starting, before any task, stop the pool`, async () => {
    const pool = new Pool({ module: taskFixture('dieIdle.mjs'), kind, workers: 1, maxStartupFailures: 3 });
    const exits: string[] = [];
    pool.on('workerExit', (e) => exits.push(e.reason));
    // Nothing to do, so each worker dies idle; the third in a row stops the pool.
    for (let i = 0; i < 200 && exits.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(exits, ['startup-failed', 'startup-failed', 'startup-failed']);
    await assert.rejects(pool.apply('square', [2]), (e: WorkerStartupError) => e.attempts === 3 && /before running a task/.test(e.message));
    await pool.close();
  });

  test(`${kind}: messages outside the protocol are ignored; forged results replace the worker`, async () => {
    const pool = new Pool({ module: taskFixture('rogue.mjs'), kind, workers: 1 });
    try {
      const problems: string[] = [];
      pool.on('protocolError', (e) => problems.push(e.detail));
      assert.equal(await pool.apply('chatter', [1]), 2);
      assert.equal(problems.length, 3, 'each foreign message reported');
      const exits: string[] = [];
      pool.on('workerExit', (e) => exits.push(e.reason));
      await assert.rejects(pool.apply('forge', [5]), WorkerCrashedError);
      assert.deepEqual(exits, ['protocol']);
      assert.equal(await pool.apply('chatter', [9]), 10, 'a fresh worker serves');
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: events tell worker starts and exits with reasons`, async () => {
    const pool = new Pool({ module: basic, kind, workers: 1, maxTasksPerChild: 2 });
    const log: string[] = [];
    pool.on('workerStart', (b) => log.push(`start ${b.slot} ${b.verified}`));
    pool.on('workerExit', (e) => log.push(`exit ${e.slot} ${e.reason}`));
    await Promise.all([1, 2, 3].map((x) => pool.apply('square', [x])));
    await assert.rejects(pool.apply('exit', [1]));
    await pool.close();
    // Worker 1 runs two tasks and is recycled; worker 2 runs one, then dies on the second; worker 3
    // (started when worker 2 took its last task) is closed — perhaps before /proc could be read.
    const seen = log.map((l) => l.replace(/^start 0 (true|false)$/, 'start 0'));
    assert.deepEqual(seen.sort(), ['exit 0 closed', 'exit 0 crashed', 'exit 0 recycled', 'start 0', 'start 0', 'start 0'], log.join(' | '));
    assert.deepEqual(log.filter((l) => l.startsWith('start')).slice(0, 2), ['start 0 true', 'start 0 true'], log.join(' | '));
  });
}
