import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processIpcBatches, processIpcPerTask, processPipeNdjson } from '../../bench/floors/processFloors.js';
import { bracketWithFloor, nodeStartPairTimes } from '../../bench/floors/startFloors.js';
import { promisePerTask, threadMessageBatches, threadMessagePerTask, threadSharedRing } from '../../bench/floors/threadFloors.js';

// The floors on small inputs: each must see every answer (it would hang otherwise; the test runner's
// timeout catches that) and report a finite rate. Speed is not asserted.
const finite = (v: number): void => assert.ok(Number.isFinite(v) && v > 0, String(v));

test('thread floors: per-task messages, batches (with a short last batch), shared ring with its sum check', { timeout: 60_000 }, async () => {
  finite(await threadMessagePerTask(301));
  finite(await threadMessageBatches(2500, 1000));
  // More items than the ring holds, an odd count split over 2 workers: wraps around and checks every answer.
  finite(await threadSharedRing(10_001, 2, 64));
  // Bursts with a short last one (2500 = 1000 + 1000 + 500).
  finite(await promisePerTask(2500, 1000));
});

test('process floors: IPC per task, IPC batches, NDJSON over pipes', { timeout: 60_000 }, async () => {
  finite(await processIpcPerTask(301));
  finite(await processIpcBatches(2500, 1000));
  finite(await processPipeNdjson(2500, 1000));
});

test('start floor: node -e 0 two at a time, and bracketing a sample with it', { timeout: 60_000 }, async () => {
  const pairs = await nodeStartPairTimes(2);
  assert.equal(pairs.length, 2);
  pairs.forEach(finite);
  const order: string[] = [];
  const b = await bracketWithFloor(1, async () => (order.push('sample'), 7));
  assert.equal(b.value, 7);
  assert.equal(b.pairMs.length, 2, 'one pair before the sample, one after');
  b.pairMs.forEach(finite);
  assert.deepEqual(order, ['sample']);
});
