import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheSample } from '../../bench/workloads/cacheSample.js';
import type { Peer } from '../../bench/peers/Peer.js';
import { benchConfig } from '../../bench/BenchConfig.js';
import { ResultBook } from '../../bench/measure/ResultBook.js';
import { cachePhase } from '../../bench/phases/cachePhase.js';
import type { PhaseContext } from '../../bench/phases/PhaseContext.js';

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

// A pool whose walks report a known in-worker time: the n-th call (from 1) took n ms.
function countingPeer(created: { pools: number } = { pools: 0 }): Peer {
  let calls = 0;
  const tids = [4_000_011, 4_000_012];
  return {
    id: 'counting',
    label: 'counting',
    kind: 'process',
    supports: { pinning: true, recycling: false },
    unavailable: () => Promise.resolve(null),
    create: () => {
      created.pools++;
      return Promise.resolve({
        apply: () => {
          calls++;
          return Promise.resolve({ pid: process.pid, tid: tids[calls % 2]!, end: 0, ms: calls });
        },
        close: () => Promise.resolve(),
      });
    },
  };
}

test('the cache walk reports the timed tasks\' latency p50, p99 and interquartile range (warm-up walks left out)', async () => {
  // 8 warm-up walks (4 per worker, each has walked twice), then 40 timed walks of 9..48 ms.
  const s = await cacheSample(countingPeer(), 2, true, { bytes: 1 << 20, steps: 10, tasks: 40 }, 10_000, () => {});
  // Nearest rank over 9..48: p25 = 10th = 18, p50 = 20th = 28, p75 = 30th = 38, p99 = 40th = 48.
  assert.equal(s.p50, 28);
  assert.equal(s.p99, 48);
  assert.equal(s.iqr, 20);
});

test('the cache phase runs its own round count (more, shorter rounds than the other phases) after one unrecorded warm-up round, and records the latency series', async () => {
  const full = benchConfig(false);
  assert.ok(full.cache.rounds >= 10, `full run: ${full.cache.rounds} cache rounds; a spread over 5 picked the steadier side only ~80 % of the time`);
  assert.equal(benchConfig(false, 3).cache.rounds, 3, '--rounds N sets the cache rounds too');
  assert.equal(benchConfig(true).cache.rounds, 1);
  const cfg = { ...full, cache: { ...full.cache, tasks: 6 } };
  const book = new ResultBook();
  const created = { pools: 0 };
  const ctx: PhaseContext = { cfg, peers: [countingPeer(created)], python: false, book, log: () => {}, notes: [], note: () => {} };
  await cachePhase(ctx);
  assert.equal(created.pools, 2 * (full.cache.rounds + 1), 'pinned and unpinned: the recorded rounds and one warm-up round');
  for (const how of ['pinned', 'unpinned'] as const) {
    for (const w of [`cache-${how}`, `cache-p99-${how}`, `cache-p50-${how}`, `cache-iqr-${how}`] as const) {
      assert.equal(book.get(w, 'counting')?.values.length, full.cache.rounds, `${w}: one value per round`);
    }
  }
});
