import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool, PoolOptionsError, PoolTerminatedError, TaskDataError, TaskTimeoutError } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

/*
 * CPython's own Pool tests (Lib/test/_test_multiprocessing.py, class _TestPool), ported: each test
 * is named after its CPython case and runs on both kinds of pool. Cases that test Python-only API
 * (map_async callbacks, pickling hooks) are ported to what the same behaviour is here: a Promise, a
 * value the channel cannot carry. Two hangs a Python user hits early are at the end: close() after
 * an imap loop left by a task's error, and imap over an empty input.
 */

const basic = taskFixture('basic.mjs');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class SayWhenError extends RangeError {
  constructor() {
    super('Somebody said when');
    this.name = 'SayWhenError';
  }
}

/** CPython's exception_throwing_generator(total, when). */
function* exceptionThrowingGenerator(total: number, when: number): Generator<number> {
  if (when === -1) throw new SayWhenError();
  for (let i = 0; i < total; i++) {
    if (i === when) throw new SayWhenError();
    yield i;
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sqr = (x: number): number => x * x;

/** Takes `n` results from an async iterator, by hand (CPython's next(it)). */
async function take<T>(it: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    assert.equal(r.done, false, `result ${i} of ${n}`);
    out.push(r.value);
  }
  return out;
}

async function list<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

for (const kind of ['process', 'thread'] as const) {
  const make = (workers = 4): Pool => new Pool({ module: basic, kind, workers });
  const withPool = (name: string, body: (pool: Pool) => Promise<void>, workers?: number): void => {
    test(`${kind}: ${name}`, { timeout: 60_000 }, async () => {
      const pool = make(workers);
      try {
        await body(pool);
      } finally {
        await pool.terminate();
      }
    });
  };

  withPool('test_apply', async (pool) => {
    assert.equal(await pool.apply('square', [5]), 25);
    assert.equal(await pool.apply('add', [3, 4]), 7);
  });

  withPool('test_map', async (pool) => {
    assert.deepEqual(await pool.map('square', range(10)), range(10).map(sqr));
    assert.deepEqual(await pool.map('square', range(100), { chunksize: 20 }), range(100).map(sqr));
  });

  withPool('test_starmap', async (pool) => {
    let tuples = range(10).map((i) => [i, 9 - i]);
    assert.deepEqual(await pool.starmap('mul', tuples), tuples.map(([a, b]) => a! * b!));
    tuples = range(100).map((i) => [i, 99 - i]);
    assert.deepEqual(await pool.starmap('mul', tuples, { chunksize: 20 }), tuples.map(([a, b]) => a! * b!));
  });

  withPool('test_starmap_async', async (pool) => {
    const tuples = range(100).map((i) => [i, 99 - i]);
    const pending = pool.starmap('mul', tuples);
    assert.deepEqual(await pending, tuples.map(([a, b]) => a! * b!));
  });

  withPool('test_map_async', async (pool) => {
    const pending = pool.map('square', range(10));
    assert.deepEqual(await pending, range(10).map(sqr));
  });

  withPool('test_map_async_callbacks', async (pool) => {
    const calls: unknown[] = [];
    await pool.map('toInt', ['1']).then((v: unknown) => calls.push(v), (e: unknown) => calls.push(e));
    assert.deepEqual([...calls], [[1]]);
    await pool.map('toInt', ['a']).then((v: unknown) => calls.push(v), (e: unknown) => calls.push(e));
    assert.equal(calls.length, 2);
    assert.ok(calls[1] instanceof Error && calls[1].name === 'TypeError', 'the error callback got the task error');
  });

  withPool('test_map_unplicklable', async (pool) => {
    // Data the channel cannot carry must fail the call, not hang it (CPython issue #19425): a BigInt
    // on a JSON channel (process), a function through structured clone (thread).
    const unsendable = kind === 'process' ? (): unknown => 10n : (): unknown => () => 1;
    await assert.rejects(pool.map('square', Array.from({ length: 10 }, unsendable)), TaskDataError);
    assert.deepEqual(await pool.map('square', [2]), [4], 'the pool still serves');
  });

  withPool('test_map_chunksize', async (pool) => {
    assert.deepEqual(await pool.map('square', [], { chunksize: 1 }), []);
  });

  withPool('test_map_handle_iterable_exception', async (pool) => {
    await assert.rejects(pool.map('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 }), SayWhenError);
    await assert.rejects(pool.map('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 }), SayWhenError);
    await assert.rejects(pool.map('square', exceptionThrowingGenerator(10, 3), { chunksize: 1 }), SayWhenError);
    const special: Iterable<number> = {
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<number> => {
          throw new SayWhenError();
        },
      }),
    };
    await assert.rejects(pool.map('square', special, { chunksize: 1 }), SayWhenError);
    await assert.rejects(pool.map('square', special, { chunksize: 1 }), SayWhenError);
  });

  withPool('test_async', async (pool) => {
    assert.equal(await pool.apply('slowSquare', [7, 100]), 49);
  });

  withPool('test_async_timeout', async (pool) => {
    // CPython: get(timeout) raises TimeoutError; here the task's own timeout does.
    await assert.rejects(pool.apply('slowSquare', [6, 5000], { timeout: 100 }), TaskTimeoutError);
  });

  withPool('test_imap', async (pool) => {
    assert.deepEqual(await list(pool.imap<number>('square', range(10))), range(10).map(sqr));
    let it = pool.imap<number>('square', range(10));
    assert.deepEqual(await take(it, 10), range(10).map(sqr));
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    it = pool.imap<number>('square', range(1000), { chunksize: 100 });
    assert.deepEqual(await take(it, 1000), range(1000).map(sqr));
    assert.deepEqual(await it.next(), { value: undefined, done: true });
  });

  withPool('test_imap_handle_iterable_exception', async (pool) => {
    let it = pool.imap<number>('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 });
    await assert.rejects(it.next(), SayWhenError);
    it = pool.imap<number>('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 });
    await assert.rejects(it.next(), SayWhenError);
    it = pool.imap<number>('square', exceptionThrowingGenerator(10, 3), { chunksize: 1 });
    assert.deepEqual(await take(it, 3), range(3).map(sqr));
    await assert.rejects(it.next(), SayWhenError);
    // SayWhenError seen at the start of the problematic chunk's results.
    it = pool.imap<number>('square', exceptionThrowingGenerator(20, 7), { chunksize: 2 });
    assert.deepEqual(await take(it, 6), range(6).map(sqr));
    await assert.rejects(it.next(), SayWhenError);
    it = pool.imap<number>('square', exceptionThrowingGenerator(20, 7), { chunksize: 4 });
    assert.deepEqual(await take(it, 4), range(4).map(sqr));
    await assert.rejects(it.next(), SayWhenError);
  });

  withPool('test_imap_unordered', async (pool) => {
    assert.deepEqual((await list(pool.imapUnordered<number>('square', range(1000)))).sort((a, b) => a - b), range(1000).map(sqr));
    assert.deepEqual((await list(pool.imapUnordered<number>('square', range(1000), { chunksize: 53 }))).sort((a, b) => a - b), range(1000).map(sqr));
  });

  withPool('test_imap_unordered_handle_iterable_exception', async (pool) => {
    let it = pool.imapUnordered<number>('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 });
    await assert.rejects(it.next(), SayWhenError);
    it = pool.imapUnordered<number>('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 });
    await assert.rejects(it.next(), SayWhenError);
    for (const [total, when, chunksize] of [[10, 3, 1], [20, 7, 2]] as const) {
      it = pool.imapUnordered<number>('square', exceptionThrowingGenerator(total, when), { chunksize });
      const expected = range(total).map(sqr);
      await assert.rejects(async () => {
        for (let i = 0; i < total; i++) {
          const r = await it.next();
          const at = expected.indexOf(r.value);
          assert.ok(at >= 0, `unexpected ${String(r.value)}`);
          expected.splice(at, 1);
        }
      }, SayWhenError);
    }
  });

  test(`${kind}: test_make_pool`, async () => {
    assert.throws(() => new Pool({ module: basic, kind, workers: -1 }), PoolOptionsError);
    assert.throws(() => new Pool({ module: basic, kind, workers: 0 }), PoolOptionsError);
    const p = make(3);
    try {
      await p.ready();
      assert.equal(p.bindings().length, 3);
    } finally {
      await p.close();
    }
  });

  test(`${kind}: test_terminate`, { timeout: 60_000 }, async () => {
    const pool = make();
    const result = pool.map('slowSquare', range(10_000).map(() => 100), { chunksize: 1 });
    result.catch(() => {});
    await pool.terminate();
    // The pool did not wait for the 10,000 tasks (1,000 s of work on 4 workers): they were stopped.
    await assert.rejects(result, PoolTerminatedError);
  });

  test(`${kind}: test_empty_iterable`, async () => {
    const p = make(1);
    assert.deepEqual(await p.map('square', []), []);
    assert.deepEqual(await list(p.imap('square', [])), []);
    assert.deepEqual(await list(p.imapUnordered('square', [])), []);
    assert.deepEqual(await p.map('square', (async function* () {})()), []);
    await p.close();
  });

  test(`${kind}: test_context`, async () => {
    const L = range(10);
    let outside: Pool;
    {
      await using p = make(2);
      outside = p;
      assert.deepEqual(await p.map('square', L), L.map(sqr));
    }
    await assert.rejects(outside.map('square', L), PoolTerminatedError);
  });

  withPool(
    'test_traceback',
    async (pool) => {
      const e = await pool.apply('fail', ['some comment']).then(
        () => assert.fail('expected CustomError'),
        (err: unknown) => err as Error & { code?: string },
      );
      assert.equal(e.name, 'CustomError');
      assert.equal(e.message, 'some comment');
      assert.match(e.stack ?? '', /basic\.mjs/, "the worker's stack is kept");
      // An error of the input itself is not a remote error.
      const own = await pool.map('square', exceptionThrowingGenerator(1, -1), { chunksize: 1 }).catch((err: unknown) => err);
      assert.ok(own instanceof SayWhenError);
      assert.equal((own as Error).cause, undefined);
    },
    1,
  );

  withPool(
    'test_wrapped_exception',
    async (pool) => {
      await assert.rejects(pool.apply('failType'), TypeError);
    },
    1,
  );

  test(`${kind}: test_map_no_failfast`, async () => {
    const p = make(2);
    let failed = 0;
    p.on('taskError', () => failed++);
    await assert.rejects(p.map('raiseLargeError', [0, 1], { chunksize: 1 }), RangeError);
    // close() waits for every job, the one after the first failure too, and ends (CPython issue #23992).
    await p.close();
    assert.equal(failed, 2, 'both jobs ran');
  });

  withPool('test_release_task_refs', async (pool) => {
    const refs: WeakRef<object>[] = [];
    await (async () => {
      const objs = range(10).map((i) => ({ i }));
      for (const o of objs) refs.push(new WeakRef(o));
      await pool.map('echo', objs);
    })();
    await sleep(10);
    gc();
    assert.deepEqual(refs.map((r) => r.deref()), range(10).map(() => undefined), 'arguments are not kept once their tasks are done');
  });

  // Issue 11: the loop leaves by a task's error; close() must still end.
  test(`${kind}: close() after an imap loop left by a task's error`, { timeout: 30_000 }, async () => {
    const pool = make(2);
    try {
      await assert.rejects(async () => {
        for await (const x of pool.imap('squareButNot3', range(100))) void x;
      }, /not 3/);
      await pool.close();
    } finally {
      await pool.terminate();
    }
  });

  test(`${kind}: imap over an empty input ends (sync and async inputs, ordered and unordered)`, { timeout: 30_000 }, async () => {
    const pool = make(1);
    try {
      assert.deepEqual(await list(pool.imap('square', [])), []);
      assert.deepEqual(await list(pool.imapUnordered('square', [])), []);
      assert.deepEqual(await list(pool.imap('square', (async function* () {})())), []);
      assert.deepEqual(await list(pool.imap('square', [], { chunksize: 7 })), []);
      await pool.close();
    } finally {
      await pool.terminate();
    }
  });
}
