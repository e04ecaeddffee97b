import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedLoop } from '../../bench/workloads/closedLoop.js';

test('runs every call once, never more than `inflight` at a time, and reaches that many', async () => {
  let live = 0;
  let most = 0;
  const seen: number[] = [];
  await closedLoop(50, 8, async (i) => {
    live++;
    most = Math.max(most, live);
    seen.push(i);
    await new Promise((r) => setTimeout(r, i % 3));
    live--;
  });
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(most, 8);
});

test('fewer calls than lanes, and zero calls', async () => {
  let n = 0;
  await closedLoop(3, 8, async () => void n++);
  assert.equal(n, 3);
  await closedLoop(0, 8, async () => void n++);
  assert.equal(n, 3);
});

test('a failing call rejects the loop', async () => {
  await assert.rejects(closedLoop(10, 2, async (i) => {
    if (i === 4) throw new Error('task 4 failed');
  }), /task 4 failed/);
});
