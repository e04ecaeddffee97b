import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../src/index.js';
import { MAP_IN_ONE_PASS } from '../../src/pool/worker/runChunk.js';
import { MAX_AUTO_CHUNKSIZE } from '../../src/pool/defaultChunksize.js';
import { taskFixture } from '../support/taskFixture.js';

// A worker runs a chunk one item at a time (small chunks) or in one map pass that falls back to
// one at a time at an async result or a hole (large chunks); either way every item runs once, in
// order, and its result lands in its place.
const mapOrder = taskFixture('mapOrder.mjs');
const SMALL = 20;
const LARGE = MAP_IN_ONE_PASS + 5001;
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: chunks with async results run every item once, in order`, async (t) => {
    const pool = new Pool({ module: mapOrder, kind, workers: 1 });
    t.after(() => pool.terminate());
    for (const [fn, n, isAsync] of [
      ['record', SMALL, (x: number) => x % 3 === 0],
      ['record', LARGE, (x: number) => x % 3 === 0],
      ['recordLate', LARGE, (x: number) => x % 5000 === 4999],
    ] as const) {
      const items = upTo(n);
      const want = items.map((x) => (isAsync(x) ? -x : x));
      assert.deepEqual(await pool.map(fn, items, { chunksize: n }), want, `${fn} over ${n}`);
      assert.deepEqual(await pool.apply('seenSoFar'), items, `${fn} over ${n}: order`);
      assert.deepEqual(await pool.starmap(fn, items.map((x) => [x]), { chunksize: n }), want, `starmap ${fn} over ${n}`);
      assert.deepEqual(await pool.apply('seenSoFar'), items, `starmap ${fn} over ${n}: order`);
    }
  });

  test(`${kind}: holes in the input are run as items too, in order`, async (t) => {
    const pool = new Pool({ module: mapOrder, kind, workers: 1 });
    t.after(() => pool.terminate());
    for (const n of [SMALL, LARGE]) {
      const sparse: number[] = [];
      for (let i = 0; i < n - 2; i++) if (i % 7 !== 3) sparse[i] = i + 1; // holes inside, two at the end
      sparse.length = n;
      const want = Array.from({ length: n }, (_, i) => (i in sparse ? sparse[i]! : 'hole'));
      const got = await pool.map('recordLate', sparse, { chunksize: n });
      assert.deepEqual(got, want.map((x) => (typeof x === 'number' && x % 5000 === 4999 ? -x : x)), `over ${n}`);
      assert.deepEqual(await pool.apply('seenSoFar'), want, `over ${n}: order`);
    }
  });
}

// map's automatic chunks are capped (defaultChunksize) and the results are written into one array as
// chunks answer, in whatever order they answer: each lands at its own offset, once.
for (const kind of ['process', 'thread'] as const) {
  test(`${kind}: automatic chunks answered out of order land in place, the input reused meanwhile`, async (t) => {
    const pool = new Pool({ module: mapOrder, kind, workers: 2 });
    t.after(() => pool.terminate());
    // Past the cap (Python's size would be 8,193): 9 chunks, the last one of 3 items.
    const n = 4 * 2 * MAX_AUTO_CHUNKSIZE + 3;
    const items = Array.from({ length: n }, (_, i) => i);
    items[1] = -1; // the first chunk answers last
    const want = items.map((x) => (x < 0 ? -x : 2 * x));
    const pending = pool.map<number>('doubleOrLate', items);
    // Once map has cut its chunks (it has after a turn of the event loop), the caller may reuse its
    // array, here before the first chunk answers: the results still have the input's first length.
    await new Promise((resolve) => setImmediate(resolve));
    items.push(...items);
    const got = await pending;
    assert.equal(got.length, n);
    assert.deepEqual(got, want);
    for (const size of [1, 2, MAX_AUTO_CHUNKSIZE - 1]) {
      const few = Array.from({ length: size }, (_, i) => (i === 0 ? -3 : i));
      assert.deepEqual(await pool.map<number>('doubleOrLate', few), few.map((x) => (x < 0 ? -x : 2 * x)), `${size} items`);
    }
  });
}

// A thread pool sends a chunk of numbers as a Float64Array and gets one back while every result is
// a number: the values must be exactly those structured clone would carry, and any result that is
// not a number (or a promise) must fall back mid-chunk without losing order or running an item twice.
test('thread: numbers cross as they are (-0, NaN, ±Infinity, fractions, huge); other results mid-chunk keep their place', async (t) => {
  const pool = new Pool({ module: mapOrder, kind: 'thread', workers: 2 });
  t.after(() => pool.terminate());
  const odd = [-0, 0, NaN, Infinity, -Infinity, 0.1, -1.5, 1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 2 ** 31];
  const items = Array.from({ length: 3 * MAX_AUTO_CHUNKSIZE }, (_, i) => odd[i % odd.length]! * (i % 7 === 0 ? 1 : -1));
  const got = await pool.map<number>('same', items);
  assert.equal(got.length, items.length);
  for (let i = 0; i < items.length; i++) if (!Object.is(got[i], items[i])) assert.fail(`item ${i}: sent ${items[i]}, got ${got[i]}`);
  const n = 2 * MAX_AUTO_CHUNKSIZE + 77;
  const ints = Array.from({ length: n }, (_, i) => i);
  const want = ints.map((x) => (x % 1000 === 999 ? `n${x}` : x));
  for (const chunksize of [undefined, 1000, 2500, n]) {
    assert.deepEqual(await pool.map('mostlyNumbers', ints, chunksize === undefined ? undefined : { chunksize }), want, `chunksize ${chunksize ?? 'auto'}`);
  }
  // Numbers mixed with other inputs go as they are.
  const mixed: unknown[] = ints.map((x) => (x === 5000 ? '5000' : x));
  const back = await pool.map('same', mixed);
  assert.deepEqual(back, mixed);
});

// A thread pool's chunk of numbers travels in a buffer that is moved to the worker, not copied: a
// worker that dies before it starts the chunk takes that buffer with it, yet the chunk must go to the
// next worker whole (the pool sends a copy and keeps the chunk until it settles).
test('thread: chunks of numbers a worker held when it died run again, whole, on the next worker', { timeout: 30_000 }, async (t) => {
  const pool = new Pool({ module: taskFixture('basic.mjs'), kind: 'thread', workers: 1 });
  t.after(() => pool.terminate());
  await pool.apply('square', [1]);
  const items = Array.from({ length: 5000 }, (_, i) => i + 0.5);
  const died = pool.apply('exit', [3]);
  const mapped = pool.map<number>('square', items, { chunksize: 1000 });
  await Promise.resolve();
  // Sent at once with the exit (the worker's window): at least one chunk of the five.
  assert.ok(pool.queueSize <= 4, `chunks handed to the worker that exits: ${5 - pool.queueSize}`);
  await assert.rejects(died, { code: 'ERR_WORKER_CRASHED' });
  assert.deepEqual(await mapped, items.map((x) => x * x));
});

// A process worker gets a map's chunks at most 8,192 items to a message (dispatch.ts, MESSAGE_ITEMS),
// each message a batch of its own for the crash rule: a worker SIGKILLed while running one chunk
// takes only that chunk's batch with it; chunks sent with it in the same window never started, so
// they run on the next worker, once, and their map still resolves.
test('process: a worker killed mid-chunk fails only its message; chunks sent in the same window run again, once', { timeout: 30_000 }, async (t) => {
  const pool = new Pool({ module: mapOrder, kind: 'process', workers: 1 });
  t.after(() => pool.terminate());
  // Tiny tasks first: the worker's window grows, so the next dispatch hands it everything queued.
  await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.apply('same', [i])));
  const items = Array.from({ length: 2 * 8192 }, (_, i) => i);
  const killed = pool.map('killSelf', [0]);
  const innocent = pool.map<number>('recordSame', items, { chunksize: 8192 });
  await assert.rejects(killed, { code: 'ERR_WORKER_CRASHED' });
  assert.deepEqual(await innocent, items);
  // The fresh worker ran every item of both chunks exactly once, in order (the dead one ran none).
  assert.deepEqual(await pool.apply('seenSoFar'), items);
});
