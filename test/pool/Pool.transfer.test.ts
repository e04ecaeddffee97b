import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool, TransferListError, WorkerCrashedError, move } from '../../src/index.js';
import { taskFixture } from '../support/taskFixture.js';

// Transferable ArrayBuffers (issue 16): apply's `transfer` moves the caller's buffers to a thread
// worker; `move()` in a task moves its result back. Real worker threads and processes, no mocks.

const transfer = taskFixture('transfer.mjs');

function pattern(n: number, seed = 0): ArrayBuffer {
  const b = new ArrayBuffer(n);
  const v = new Uint8Array(b);
  for (let i = 0; i < n; i++) v[i] = (i + seed) & 255;
  return b;
}
function expected(n: number, seed = 0, from = 0, to = n) {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (i + seed) & 255;
  return { length: to - from, sum, first: (from + seed) & 255, last: (to - 1 + seed) & 255 };
}
function detach(b: ArrayBuffer): ArrayBuffer {
  structuredClone(b, { transfer: [b] });
  return b;
}
/** The rejection of `p`, which must be a TransferListError naming `words`. */
async function transferError(p: Promise<unknown>, ...words: string[]): Promise<TransferListError> {
  const err = await p.then(
    () => assert.fail('expected a TransferListError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TransferListError, `got ${String(err)}`);
  assert.equal(err.code, 'ERR_POOL_TRANSFER_LIST');
  for (const w of words) assert.ok(err.message.includes(w), `${JSON.stringify(w)} not in: ${err.message}`);
  return err;
}

test('thread apply with transfer: the caller’s buffer is detached once sent; the worker got exactly its bytes (64 KiB, and a view of one)', async () => {
  await using pool = new Pool({ module: transfer, kind: 'thread', workers: 2 });
  const b = pattern(65536, 7);
  const done = pool.apply('bytesOf', [b], { transfer: [b] });
  const got = await done;
  assert.equal(b.byteLength, 0, 'moved, not copied: the caller’s buffer is detached');
  assert.deepEqual(got, expected(65536, 7));
  const c = pattern(64, 3);
  assert.deepEqual(await pool.apply('bytesOf', [new Uint8Array(c, 4, 8)], { transfer: [c] }), expected(64, 3, 4, 12));
  assert.equal(c.byteLength, 0);
  // A burst of moved calls, batched with plain ones: each answered once, in order, each buffer moved.
  const bufs = Array.from({ length: 60 }, (_, i) => pattern(100 + i, i));
  const burst = bufs.map((x, i) => (i % 4 === 3 ? pool.apply('double', [i]) : pool.apply('bytesOf', [x], { transfer: [x] })));
  (await Promise.all(burst)).forEach((r, i) => assert.deepEqual(r, i % 4 === 3 ? 2 * i : expected(100 + i, i), `task ${i}`));
  bufs.forEach((x, i) => assert.equal(x.byteLength, i % 4 === 3 ? 100 + i : 0, `buffer ${i}`));
  // Control: without transfer the same call copies, and the buffer stays the caller's.
  const d = pattern(1024);
  assert.deepEqual(await pool.apply('bytesOf', [d]), expected(1024));
  assert.equal(d.byteLength, 1024);
});

test('thread: move() returns a result moved: it arrives intact and the worker’s own buffer is detached (plain lane, view, async, in a burst)', async () => {
  await using pool = new Pool({ module: transfer, kind: 'thread', workers: 1 });
  const r = await pool.apply<ArrayBuffer>('makeMoved', [4096]);
  assert.ok(r instanceof ArrayBuffer);
  assert.deepEqual(new Uint8Array(r), new Uint8Array(pattern(4096)));
  assert.equal(await pool.apply('keptLength', []), 0, 'the worker’s copy is detached: it was moved');
  const v = await pool.apply<Uint8Array>('makeMovedView', [300]);
  assert.deepEqual([...v], [...new Uint8Array(pattern(300), 1, 298)]);
  assert.equal(await pool.apply('keptLength', []), 0);
  const later = await pool.apply<{ tag: string; data: ArrayBuffer }>('makeMovedLater', [100]);
  assert.equal(later.tag, 'later');
  assert.deepEqual(new Uint8Array(later.data), new Uint8Array(pattern(100)));
  assert.equal(await pool.apply('keptLength', []), 0);
  // In a map chunk: each item's moved result arrives; the worker's last one is detached.
  const items = await pool.map<ArrayBuffer>('makeMoved', [10, 20, 30], { chunksize: 3 });
  assert.deepEqual(items.map((x) => new Uint8Array(x)), [10, 20, 30].map((n) => new Uint8Array(pattern(n))));
  assert.equal(await pool.apply('keptLength', []), 0);
  // Control: returned without move, the result is a copy and the worker keeps its buffer.
  assert.equal((await pool.apply<ArrayBuffer>('makeCopied', [64])).byteLength, 64);
  assert.equal(await pool.apply('keptLength', []), 64);
  // A burst: moved results among plain ones in the same batches, each answered once, in order.
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < 300; i++) calls.push(i % 3 === 0 ? pool.apply('makeMoved', [1 + i]) : pool.apply('double', [i]));
  const out = await Promise.all(calls);
  out.forEach((x, i) => {
    if (i % 3 === 0) assert.deepEqual(new Uint8Array(x as ArrayBuffer), new Uint8Array(pattern(1 + i)), `task ${i}`);
    else assert.equal(x, 2 * i, `task ${i}`);
  });
  // A burst of one export: the worker runs it as Plain groups (its fast lane); every result moved.
  const same = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.apply<ArrayBuffer>('makeMovedEach', [8 + i])));
  same.forEach((x, i) => assert.deepEqual(new Uint8Array(x), new Uint8Array(pattern(8 + i)), `plain-group task ${i}`));
  assert.equal(await pool.apply('keptTotal', []), 0, 'every buffer of the plain-group burst was moved, none copied');
});

test('move() outside a pool task changes nothing; a bad move is the task’s TransferListError', async () => {
  const b = pattern(8);
  assert.equal(move(b), b);
  assert.equal(b.byteLength, 8);
  await using pool = new Pool({ module: transfer, kind: 'thread', workers: 1 });
  for (const [how, word] of [['number', 'ArrayBuffer'], ['twice', 'twice'], ['unreachable', 'not reachable'], ['detached', 'detached']] as const) {
    const err = await pool.apply('badMove', [how]).then(
      () => assert.fail(how),
      (e: Error & { code?: string }) => e,
    );
    assert.equal(err.name, 'TransferListError', how);
    assert.equal(err.code, 'ERR_POOL_TRANSFER_LIST', how);
    assert.ok(err.message.includes(word), `${how}: ${err.message}`);
  }
  assert.equal(await pool.apply('double', [21]), 42);
});

test('bad transfer lists: each rejects with TransferListError naming the input and the fix; nothing is moved; the pool runs the next task', async () => {
  await using pool = new Pool({ module: transfer, kind: 'thread', workers: 2 });
  const b = pattern(16);
  await transferError(pool.apply('bytesOf', [b], { transfer: b as unknown as ArrayBuffer[] }), 'must be an array');
  await transferError(pool.apply('bytesOf', [new Uint8Array(b)], { transfer: [new Uint8Array(b) as unknown as ArrayBuffer] }), 'transfer[0]', 'Uint8Array', '.buffer');
  const sab = new SharedArrayBuffer(8);
  await transferError(pool.apply('bytesOf', [sab], { transfer: [sab as unknown as ArrayBuffer] }), 'SharedArrayBuffer');
  await transferError(pool.apply('bytesOf', [b], { transfer: [b, b] }), 'transfer[1]', 'twice');
  const gone = detach(pattern(16));
  await transferError(pool.apply('bytesOf', [gone], { transfer: [gone] }), 'transfer[0]', 'detached');
  const other = pattern(16);
  await transferError(pool.apply('bytesOf', [b], { transfer: [b, other] }), 'transfer[1]', 'not reachable');
  assert.equal(b.byteLength, 16, 'a refused call moves nothing');
  assert.equal(other.byteLength, 16);
  await transferError(pool.map('bytesOf', [b], { transfer: [b] } as never), 'apply');
  // The same buffer in two calls: the first moves it, the second is refused (detached by then).
  const same = pattern(32);
  const first = pool.apply('bytesOf', [same], { transfer: [same] });
  const second = pool.apply('bytesOf', [same], { transfer: [same] });
  // Watched at once: it is refused when it is sent, which can come before `first` settles.
  const refused = transferError(second, 'detached');
  assert.deepEqual(await first, expected(32));
  await refused;
  assert.equal(await pool.apply('double', [5]), 10);
  assert.deepEqual(await pool.map('double', [1, 2, 3]), [2, 4, 6]);
});

test('process pool: nothing can be moved between processes — serialization "advanced" copies (the buffer stays the caller’s), "json" refuses', async () => {
  await using adv = new Pool({ module: transfer, kind: 'process', workers: 1, serialization: 'advanced' });
  const b = pattern(2048, 5);
  assert.deepEqual(await adv.apply('bytesOf', [b], { transfer: [b] }), expected(2048, 5));
  assert.equal(b.byteLength, 2048, 'copied: still the caller’s');
  const r = await adv.apply<ArrayBuffer>('makeMoved', [256]);
  assert.deepEqual(new Uint8Array(r), new Uint8Array(pattern(256)));
  assert.equal(await adv.apply('keptLength', []), 256, 'a process worker sends a moved result as a copy');
  await transferError(adv.apply('bytesOf', [b], { transfer: [b, b] }), 'twice');
  await using json = new Pool({ module: transfer, kind: 'process', workers: 1 });
  await transferError(json.apply('bytesOf', [b], { transfer: [b] }), "serialization: 'advanced'");
  assert.equal(b.byteLength, 2048);
  assert.equal(await json.apply('double', [4]), 8);
});

test('thread: a crash in a task that received a moved buffer rejects only that task; a later task whose buffers went with the dead worker is rejected, never sent again', async () => {
  await using pool = new Pool({ module: transfer, kind: 'thread', workers: 1 });
  await pool.ready();
  const doomed = pattern(64);
  const crash = pool.apply('exitWith', [doomed, 7], { transfer: [doomed] });
  const behind = pattern(64);
  const lost = pool.apply('bytesOf', [behind], { transfer: [behind] });
  const plain = pool.apply('double', [8]);
  const e1 = await crash.then(() => assert.fail('crash'), (e: unknown) => e);
  assert.ok(e1 instanceof WorkerCrashedError);
  assert.equal(e1.exitCode, 7);
  assert.equal(e1.mayNotHaveStarted, false, 'the worker said it was running it');
  const e2 = await lost.then(() => assert.fail('a task whose buffers were lost must not run'), (e: unknown) => e);
  assert.ok(e2 instanceof WorkerCrashedError, String(e2));
  assert.ok(e2.message.includes('transfer'), e2.message);
  assert.equal(await plain, 16, 'a task that never started runs on the fresh worker');
  const next = pattern(10);
  assert.deepEqual(await pool.apply('bytesOf', [next], { transfer: [next] }), expected(10));
});
