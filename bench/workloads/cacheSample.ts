import { performance } from 'node:perf_hooks';
import type { Peer } from '../peers/Peer.js';
import type { CacheWalkResult } from '../tasks/cacheWalk.js';
import { withTimeout } from '../measure/withTimeout.js';
import { closePool } from '../measure/closePool.js';
import { migrations } from '../../src/os/procfs.js';
import { quantile } from '../measure/summarize.js';

/** One round of the cache-hungry workload. */
export interface CacheSample {
  /** Cache-walk tasks per second. */
  readonly rate: number;
  /** Sum over the worker threads of `se.nr_migrations` gained during the timed window. */
  readonly migrations: number;
  /** Worker threads seen (pid/tid), so the report can say what was counted. */
  readonly threads: number;
  /** 99th percentile of the timed tasks' in-worker latency, ms. */
  readonly p99: number;
}

/**
 * `tasks` cache walks in a burst on a fresh pool (pinned or not). Before timing, every worker walks its
 * array a few times (allocating and warming it) and reports its OS thread; the migration counters of
 * those threads are read from `/proc/<pid>/task/<tid>/sched` just before and just after the timed
 * window. A thread first seen inside the window counts its migrations since birth (an upper bound).
 * Each walk also times itself inside the worker; the round's p99 of those times is its tail latency.
 */
export async function cacheSample(
  peer: Peer,
  workers: number,
  pinned: boolean,
  walk: { bytes: number; steps: number; tasks: number },
  timeoutMs: number,
  note: (line: string) => void,
): Promise<CacheSample> {
  const pool = await peer.create({ workers, pinned });
  const args = { bytes: walk.bytes, steps: walk.steps };
  const burst = (n: number): Promise<CacheWalkResult[]> =>
    Promise.all(Array.from({ length: n }, () => pool.apply('cacheWalk', args) as Promise<CacheWalkResult>));
  try {
    const warm = await withTimeout(burst(workers * 4), timeoutMs, `${peer.id} cache warm-up`);
    const before = new Map<string, number>();
    for (const r of warm) {
      const key = `${r.pid}/${r.tid}`;
      if (!before.has(key)) before.set(key, migrations(r.pid, r.tid) ?? 0);
    }
    const t0 = performance.now();
    const timed = await withTimeout(burst(walk.tasks), timeoutMs, `${peer.id} cache walk`);
    const seconds = (performance.now() - t0) / 1000;
    const seen = new Map<string, CacheWalkResult>();
    for (const r of [...warm, ...timed]) seen.set(`${r.pid}/${r.tid}`, r);
    let moved = 0;
    for (const [key, r] of seen) {
      const now = migrations(r.pid, r.tid);
      if (now !== null) moved += now - (before.get(key) ?? 0); // null: the thread has gone
    }
    return { rate: walk.tasks / seconds, migrations: moved, threads: seen.size, p99: quantile(timed.map((r) => r.ms), 0.99) };
  } finally {
    await closePool(pool, `${peer.id} cache walk`, note);
  }
}
