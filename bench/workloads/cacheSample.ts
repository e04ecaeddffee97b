import { performance } from 'node:perf_hooks';
import type { Peer } from '../peers/Peer.js';
import type { CacheWalkResult } from '../tasks/cacheWalk.js';
import { withTimeout } from '../measure/withTimeout.js';
import { closePool } from '../measure/closePool.js';
import { migrations } from '../../src/os/procfs.js';
import { quantile } from '../measure/summarize.js';

/** `se.nr_migrations` of a single-threaded process (its main thread); null when it cannot be read. */
function processMigrations(pid: number): number | null {
  return migrations(pid, pid);
}

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
  /** Median of the timed tasks' in-worker latency, ms. */
  readonly p50: number;
  /**
   * Interquartile range (75th − 25th percentile) of the timed tasks' in-worker latency, ms: the
   * steadiness of single tasks, from every task of the round rather than one rate per round.
   */
  readonly iqr: number;
  /** Walks done before the timed window by the worker that did the fewest (each needs 2: see below). */
  readonly warmWalksMin: number;
  /** Migrations of the CPU hog (`hogPid`) during the timed window; null when no hog was given. */
  readonly hogMigrations: number | null;
}

/** Walks every worker must have finished before the timed window opens. */
const WARM_WALKS = 2;
/** Warm-up bursts after the first, at most (each `workers * 2` walks), before timing anyway. */
const MAX_WARM_BURSTS = 20;

/**
 * `tasks` cache walks in a burst on a fresh pool (pinned or not). Before timing, every worker walks its
 * array at least twice (started, array allocated and shuffled, walk compiled) and reports its OS
 * thread: a fixed warm-up of `workers * 4` walks could all go to the worker that started first, leaving
 * another's start-up inside the timed window — more often for pinned process workers, which start
 * on one CPU shared with the hog. The migration counters of
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
  hogPid?: number,
): Promise<CacheSample> {
  const pool = await peer.create({ workers, pinned });
  const args = { bytes: walk.bytes, steps: walk.steps };
  const burst = (n: number): Promise<CacheWalkResult[]> =>
    Promise.all(Array.from({ length: n }, () => pool.apply('cacheWalk', args) as Promise<CacheWalkResult>));
  try {
    const warm = await withTimeout(burst(workers * 4), timeoutMs, `${peer.id} cache warm-up`);
    const walks = new Map<string, number>();
    const count = (rs: readonly CacheWalkResult[]): void => {
      for (const r of rs) walks.set(`${r.pid}/${r.tid}`, (walks.get(`${r.pid}/${r.tid}`) ?? 0) + 1);
    };
    const warmEnough = (): boolean => walks.size >= workers && [...walks.values()].every((n) => n >= WARM_WALKS);
    count(warm);
    for (let i = 0; i < MAX_WARM_BURSTS && !warmEnough(); i++) {
      const more = await withTimeout(burst(workers * 2), timeoutMs, `${peer.id} cache warm-up`);
      count(more);
      warm.push(...more);
    }
    if (!warmEnough()) note(`${peer.id}: a worker had not walked ${WARM_WALKS} times after ${MAX_WARM_BURSTS + 1} warm-up bursts; its start-up may be inside a timed window`);
    const warmWalksMin = walks.size < workers ? 0 : Math.min(...walks.values());
    const before = new Map<string, number>();
    for (const r of warm) {
      const key = `${r.pid}/${r.tid}`;
      if (!before.has(key)) before.set(key, migrations(r.pid, r.tid) ?? 0);
    }
    const hog0 = hogPid === undefined ? null : processMigrations(hogPid);
    const t0 = performance.now();
    const timed = await withTimeout(burst(walk.tasks), timeoutMs, `${peer.id} cache walk`);
    const seconds = (performance.now() - t0) / 1000;
    const hog1 = hogPid === undefined ? null : processMigrations(hogPid);
    const seen = new Map<string, CacheWalkResult>();
    for (const r of [...warm, ...timed]) seen.set(`${r.pid}/${r.tid}`, r);
    let moved = 0;
    for (const [key, r] of seen) {
      const now = migrations(r.pid, r.tid);
      if (now !== null) moved += now - (before.get(key) ?? 0); // null: the thread has gone
    }
    const hogMigrations = hog0 === null || hog1 === null ? null : hog1 - hog0;
    const ms = timed.map((r) => r.ms);
    const iqr = quantile(ms, 0.75) - quantile(ms, 0.25);
    return { rate: walk.tasks / seconds, migrations: moved, threads: seen.size, p99: quantile(ms, 0.99), p50: quantile(ms, 0.5), iqr, warmWalksMin, hogMigrations };
  } finally {
    await closePool(pool, `${peer.id} cache walk`, note);
  }
}
