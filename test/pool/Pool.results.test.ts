import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

const basic = taskFixture('basic.mjs');

async function* countTo(n: number, pauseEvery = 0): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    if (pauseEvery > 0 && i % pauseEvery === 0) await new Promise((r) => setTimeout(r, 1));
    yield i;
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: apply, map, starmap, imap and imapUnordered give the right results`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    t.after(() => pool.terminate());
    assert.equal(await pool.apply('square', [7]), 49);
    assert.equal(await pool.apply([21]), 42, 'no export name: the default export');
    assert.deepEqual(await pool.apply('echo', [1, 'two', { three: [3] }]), [1, 'two', { three: [3] }]);
    assert.equal(await pool.apply('nothing'), undefined);
    assert.equal(await pool.apply('slowSquare', [9, 5]), 81, 'async tasks are awaited');

    const input = range(1000);
    const squares = input.map((x) => x * x);
    assert.deepEqual(await pool.map('square', input), squares, 'map: default (Python) chunk size, in order');
    for (const chunksize of [1, 7, 1000, 5000]) {
      assert.deepEqual(await pool.map('square', input, { chunksize }), squares, `map chunksize ${chunksize}`);
    }
    assert.deepEqual(await pool.map('square', new Set([3, 4])), [9, 16], 'any iterable');
    assert.deepEqual(await pool.map('square', countTo(10)), range(10).map((x) => x * x), 'async iterable');
    assert.deepEqual(await pool.map('square', []), []);
    assert.deepEqual(await pool.map([1, 2, 3]), [2, 4, 6], 'map without export name: the default export');
    assert.deepEqual(await pool.map('slowSquare', [1, 2, 3, 4, 5], { chunksize: 2 }), [1, 4, 9, 16, 25], 'async per item');

    assert.deepEqual(await pool.starmap('add', [[1, 2], [3, 4], [5, 6]]), [3, 7, 11], 'starmap spreads each args array');
    assert.deepEqual(await pool.starmap('echo', [new Set(['a', 'b'])]), [['a', 'b']], 'starmap: args may be any iterable');
    assert.deepEqual(await pool.starmap('add', input.map((i) => [i, 1]), { chunksize: 3 }), input.map((i) => i + 1));

    for (const chunksize of [1, 3, 64]) {
      const got: number[] = [];
      for await (const v of pool.imap<number>('square', input, { chunksize })) got.push(v);
      assert.deepEqual(got, squares, `imap chunksize ${chunksize}: in order`);
    }
    const fromAsync: number[] = [];
    for await (const v of pool.imap<number>('square', countTo(300, 7), { chunksize: 4 })) fromAsync.push(v);
    assert.deepEqual(fromAsync, range(300).map((x) => x * x), 'imap over an async iterable');

    const unordered: number[] = [];
    for await (const v of pool.imapUnordered<number>('square', countTo(500), { chunksize: 9 })) unordered.push(v);
    assert.equal(unordered.length, 500);
    assert.deepEqual(unordered.sort((a, b) => a - b), range(500).map((x) => x * x), 'imapUnordered: every result exactly once');
    await pool.close();
  });

  test(`${kind}: imapUnordered yields results as they finish`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    t.after(() => pool.terminate());
    await pool.ready();
    // The first item sleeps far longer than all others together; with two workers the others overtake it.
    const order: number[] = [];
    for await (const v of pool.imapUnordered<number>('delayed', [[0, 1500], [1, 1], [2, 1], [3, 1]], { chunksize: 1 })) order.push(v);
    assert.deepEqual([...order].sort(), [0, 1, 2, 3]);
    assert.equal(order[3], 0, `the slow item came last: ${order.join(',')}`);
    const ordered: number[] = [];
    for await (const v of pool.imap<number>('delayed', [[0, 300], [1, 1], [2, 1], [3, 1]], { chunksize: 1 })) ordered.push(v);
    assert.deepEqual(ordered, [0, 1, 2, 3], 'imap keeps input order regardless');
    await pool.close();
  });

  test(`${kind}: imap is lazy — input is read only as results are consumed`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 2 });
    t.after(() => pool.terminate());
    let pulled = 0;
    function* source(): Generator<number> {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield i;
      }
    }
    const got: number[] = [];
    for await (const v of pool.imap<number>('square', source(), { chunksize: 10 })) {
      got.push(v);
      if (got.length === 25) break;
    }
    assert.deepEqual(got, range(25).map((x) => x * x));
    assert.ok(pulled < 5000, `a bounded number of inputs was read ahead (read ${pulled} of 1,000,000)`);
    const after = pulled;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pulled, after, 'nothing more is read after break');
    await pool.close();
  });

  test(`${kind}: a task that throws rejects with its own name, message, stack and properties; the worker stays`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    t.after(() => pool.terminate());
    const before = await pool.apply<number>('pid');
    const reported: unknown[] = [];
    pool.on('taskError', (e) => reported.push(e.error));
    await assert.rejects(pool.apply('fail', ['boom']), (err: Error & { code?: string; detail?: number }) => {
      assert.equal(err.name, 'CustomError');
      assert.equal(err.message, 'boom');
      assert.equal(err.code, 'E_CUSTOM');
      assert.equal(err.detail, 42);
      assert.match(err.stack ?? '', /CustomError: boom\n\s+at fail \(.*basic\.mjs/);
      return true;
    });
    await assert.rejects(pool.apply('failType'), (err: Error) => err instanceof TypeError && /null/.test(err.message));
    await assert.rejects(pool.apply('failAsync', ['later']), { name: 'CustomError', message: 'later' });
    await assert.rejects(pool.apply('throwValue', ['a string']), (v) => v === 'a string');
    await assert.rejects(pool.map('squareButNot3', [1, 2, 3, 4]), { name: 'CustomError', message: 'not 3' });
    // In imap a failing item rejects at its place, and the stream goes on after it.
    const it = pool.imap<number>('squareButNot3', [1, 2, 3, 4], { chunksize: 1 });
    const seen: unknown[] = [];
    for (;;) {
      try {
        const r = await it.next();
        if (r.done === true) break;
        seen.push(r.value);
      } catch (err) {
        seen.push((err as Error).message);
      }
    }
    assert.deepEqual(seen, [1, 4, 'not 3', 16]);
    assert.equal(await pool.apply('pid'), before, 'same worker: a throwing task does not replace it');
    assert.equal(reported.length, 6, 'a taskError event for each failed task');
    await pool.close();
  });

  test(`${kind}: the initializer runs once in every worker, recycled ones included, before any task`, async (t) => {
    // One slot: its workers run one after another, so 24 tasks at 3 per child are exactly 8 workers.
    // Two slots: the last tasks split between both slots' current workers, so up to two of them may
    // end with fewer than 3 (24 = 3+3+…+1+2 was seen in CI); none may run more than 3.
    for (const workers of [1, 2]) {
      const pool = new Pool({ module: taskFixture('init.mjs'), kind, workers, initializer: 'setup', initargs: [1, 'a'], maxTasksPerChild: 3 });
      t.after(() => pool.terminate());
      const states = await Promise.all(range(24).map(() => pool.apply<{ worker: string; calls: number; received: unknown }>('state')));
      for (const s of states) {
        assert.equal(s.calls, 1, `initializer ran once in ${s.worker}`);
        assert.deepEqual(s.received, [1, 'a']);
      }
      const perWorker = new Map<string, number>();
      for (const s of states) perWorker.set(s.worker, (perWorker.get(s.worker) ?? 0) + 1);
      const counts = [...perWorker.values()];
      assert.ok(counts.every((n) => n <= 3), `no worker ran more than maxTasksPerChild tasks: ${counts.join(',')}`);
      const partial = counts.filter((n) => n < 3).length;
      if (workers === 1) assert.equal(perWorker.size, 8, `one slot, 24 tasks at 3 per child: 8 workers, saw ${counts.join(',')}`);
      else assert.ok(partial <= workers, `only the last worker of each slot may run fewer than 3: ${counts.join(',')}`);
      await pool.close();
    }
  });

  test(`${kind}: unknown exports are refused without running anything`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    t.after(() => pool.terminate());
    const early = pool.apply('nope'); // before the worker has reported its exports
    await assert.rejects(early, { name: 'ExportNotFoundError', code: 'ERR_POOL_EXPORT_NOT_FOUND' });
    await assert.rejects(pool.apply('nope'), (err: Error) => /no function export "nope"; its function exports are .*"square"/.test(err.message));
    await assert.rejects(pool.map('nope', [1]), { code: 'ERR_POOL_EXPORT_NOT_FOUND' });
    await assert.rejects(pool.imap('nope', [1]).next(), { code: 'ERR_POOL_EXPORT_NOT_FOUND' });
    assert.equal(await pool.apply('square', [3]), 9);
    await pool.close();
  });

  test(`${kind}: values that cannot cross are typed errors, not crashes`, async (t) => {
    const pool = new Pool({ module: basic, kind, workers: 1 });
    t.after(() => pool.terminate());
    const worker = await pool.apply('pid');
    const unsendableArg = kind === 'process' ? 10n : (): number => 1; // JSON has no BigInt; structured clone has no functions
    await assert.rejects(pool.apply('echo', [unsendableArg]), { name: 'TaskDataError', code: 'ERR_POOL_DATA_CLONE' });
    await assert.rejects(pool.apply(kind === 'process' ? 'bigint' : 'fnResult'), { name: 'TaskDataError', code: 'ERR_POOL_DATA_CLONE' });
    assert.equal(await pool.apply('square', [5]), 25, 'the pool goes on');
    assert.equal(await pool.apply('pid'), worker, 'with the same worker');
    await pool.close();
  });
}

test('process: serialization advanced carries what structured clone carries', async (t) => {
  const pool = new Pool({ module: basic, kind: 'process', workers: 1, serialization: 'advanced' });
  t.after(() => pool.terminate());
  const m = new Map([[1, new Date(0)]]);
  assert.deepEqual(await pool.apply('echo', [m, 5n, undefined]), [m, 5n, undefined]);
  await pool.close();
});
