import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SlotTable } from '../../src/adapters/SlotTable.js';

// A tid that no thread of this process has (pid_max is at most 2^22).
const DEAD_TID = 2 ** 30;

test('a slot held by a live thread is never leased again; a dead owner\'s slot is', () => {
  const table = SlotTable.create(2);
  assert.equal(table.lease(process.pid), 0); // the main thread: alive
  assert.equal(table.lease(DEAD_TID), 1);
  // Slot 1's owner is not in /proc/self/task: free for the next thread; slot 0 is not.
  assert.equal(table.lease(process.pid + 0), 0, 'the same tid re-leasing gets its stale slot back, not a second one');
  assert.equal(table.lease(DEAD_TID + 1), 1);
  assert.deepEqual(table.owners(), [null, null], 'pending leases are not reported as holders');
  table.confirm(0, process.pid);
  assert.deepEqual(table.owners(), [process.pid, null]);
});

test('release gives the slot back only to its holder', () => {
  const table = SlotTable.create(1);
  assert.equal(table.lease(process.pid), 0);
  table.confirm(0, process.pid);
  table.release(0, DEAD_TID); // not the holder: no effect
  assert.deepEqual(table.owners(), [process.pid]);
  table.release(0, process.pid);
  assert.deepEqual(table.owners(), [null]);
});

test('threads racing for 3 slots: exactly 3 win, each a different slot', async () => {
  const table = SlotTable.create(3);
  const url = new URL('../../src/adapters/SlotTable.js', import.meta.url).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    import(workerData.url).then(({ SlotTable }) => {
      const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
      const i32 = new Int32Array(workerData.gate);
      Atomics.add(i32, 1, 1);
      Atomics.wait(i32, 0, 0); // every thread starts leasing at the same moment
      const table = new SlotTable(workerData.buffer);
      const slot = table.lease(tid);
      if (slot !== null) table.confirm(slot, tid);
      parentPort.postMessage({ tid, slot });
      Atomics.wait(i32, 2, 0); // stay alive until the parent has looked
    });`;
  const gate = new SharedArrayBuffer(12);
  const i32 = new Int32Array(gate);
  const n = 8;
  const workers = Array.from({ length: n }, () => new Worker(code, { eval: true, workerData: { url, buffer: table.buffer, gate } }));
  const results = workers.map((w) => new Promise<{ tid: number; slot: number | null }>((resolve) => w.once('message', resolve)));
  while (Atomics.load(i32, 1) < n) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(i32, 0, 1);
  Atomics.notify(i32, 0);
  const got = await Promise.all(results);
  const winners = got.filter((g) => g.slot !== null);
  assert.equal(winners.length, 3);
  assert.deepEqual(winners.map((w) => w.slot).sort(), [0, 1, 2]);
  assert.deepEqual(new Set(table.owners()), new Set(winners.map((w) => w.tid)));
  Atomics.store(i32, 2, 1);
  Atomics.notify(i32, 2);
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  // Every holder has exited (without releasing): all slots are free again.
  assert.deepEqual(table.owners(), [null, null, null]);
});
