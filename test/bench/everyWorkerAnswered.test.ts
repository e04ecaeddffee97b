import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everyWorkerAnswered } from '../../bench/workloads/everyWorkerAnswered.js';
import type { BenchPool } from '../../bench/peers/Peer.js';

// A pool whose second worker comes up only after `lateBursts` bursts: tasks go to worker 1 until then.
function lateSecondWorker(lateBursts: number): { pool: BenchPool; calls: () => number } {
  let calls = 0;
  const pool: BenchPool = {
    apply: async () => {
      const n = calls++;
      const up2 = n >= lateBursts * 8;
      return up2 && n % 2 === 1 ? '2/2' : '1/1';
    },
    close: async () => {},
  };
  return { pool, calls: () => calls };
}

test('keeps sending bursts until every worker has answered, then stops', async () => {
  const { pool, calls } = lateSecondWorker(3);
  assert.equal(await everyWorkerAnswered(pool, 2), 2);
  assert.equal(calls(), 4 * 8, 'three bursts saw one worker, the fourth saw both, and no fifth was sent');
});

test('gives up after its bursts and says how many answered', async () => {
  const { pool } = lateSecondWorker(1000);
  assert.equal(await everyWorkerAnswered(pool, 2), 1);
});
