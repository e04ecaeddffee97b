import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheSample } from '../../bench/workloads/cacheSample.js';
import type { Peer } from '../../bench/peers/Peer.js';

// A pool whose second worker is ready only after the first has run `lateAfter` walks (a process
// worker born on the CPU the hog is on starts late). Records which worker ran each call, in order.
function latePeer(lateAfter: number, log: number[]): Peer {
  const [A, B] = [4_000_001, 4_000_002]; // tids that do not exist: their migration counters read as null
  return {
    id: 'late',
    label: 'late',
    kind: 'process',
    supports: { pinning: true, recycling: false },
    unavailable: () => Promise.resolve(null),
    create: () =>
      Promise.resolve({
        apply: () => {
          const tid = log.length < lateAfter || log.length % 2 === 0 ? A : B;
          log.push(tid);
          return Promise.resolve({ pid: process.pid, tid, end: 0, ms: 1 });
        },
        close: () => Promise.resolve(),
      }),
  };
}

test('the cache walk opens its timed window only after every worker has walked twice (a late-starting worker is not timed while it starts)', async () => {
  const log: number[] = [];
  const tasks = 40;
  const s = await cacheSample(latePeer(12, log), 2, true, { bytes: 1 << 20, steps: 10, tasks }, 10_000, () => {});
  const warm = log.slice(0, log.length - tasks);
  const timed = log.slice(log.length - tasks);
  for (const tid of new Set(timed)) {
    const before = warm.filter((t) => t === tid).length;
    assert.ok(before >= 2, `worker ${tid} walked ${before} time(s) before the timed window (needs 2); warm-up ${warm.length} walks`);
  }
  assert.equal(s.warmWalksMin >= 2, true, `warmWalksMin ${s.warmWalksMin}`);
  assert.equal(s.threads, 2);
  assert.equal(s.hogMigrations, null, 'no hog given, no hog figure');
});
