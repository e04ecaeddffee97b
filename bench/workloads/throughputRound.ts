import { performance } from 'node:perf_hooks';
import type { BenchConfig } from '../BenchConfig.js';
import type { ResultBook } from '../measure/ResultBook.js';
import { withTimeout } from '../measure/withTimeout.js';
import { closePool } from '../measure/closePool.js';
import type { BenchPool, Peer } from '../peers/Peer.js';
import type { WorkloadId } from './Workload.js';
import { chunkedMap } from './chunkedMap.js';
import { closedLoop } from './closedLoop.js';
import { everyWorkerAnswered } from './everyWorkerAnswered.js';

/** Bursts timed back to back for the warm-pool reading (corepin only: it feeds goal lines, not the table). */
const WARM_BURSTS = 3;

function* count(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/**
 * One round of the per-task and bulk workloads on one fresh pool of `peer`: warm-up, then apply in a
 * burst, apply with 8 in flight, map (the library's own or chunked), imap with chunk size 1 and 1,000
 * (only where the library has imap). Each workload's tasks/s goes into `book`; a failing workload is
 * recorded and the next one still runs.
 */
export async function throughputRound(peer: Peer, cfg: BenchConfig, mapItems: readonly number[], book: ResultBook, note: (line: string) => void): Promise<void> {
  const pool = await peer.create({ workers: cfg.workers, pinned: true });
  try {
    const up = await withTimeout(everyWorkerAnswered(pool, cfg.workers), cfg.sampleTimeoutMs, `${peer.id} start-up`);
    if (up < cfg.workers) note(`${peer.id}: only ${up} of ${cfg.workers} workers answered before the warm-up; a start-up may be inside the timed burst`);
    await withTimeout(warmUp(pool, cfg), cfg.sampleTimeoutMs, `${peer.id} warm-up`);
    const time = async (id: WorkloadId, tasks: number, body: () => Promise<unknown>): Promise<void> => {
      try {
        const t0 = performance.now();
        await withTimeout(body(), cfg.sampleTimeoutMs, `${peer.id} ${id}`);
        book.add(id, peer.id, tasks / ((performance.now() - t0) / 1000));
      } catch (err) {
        book.fail(id, peer.id, err);
      }
    };
    const s = cfg.sizes;
    await time('apply-burst', s['apply-burst'], () => {
      const all = new Array<Promise<unknown>>(s['apply-burst']);
      for (let i = 0; i < all.length; i++) all[i] = pool.apply('noop', i);
      return Promise.all(all);
    });
    // The burst above is a fresh pool's first: V8 is still compiling (bench/history/ring.md). The
    // floors are sustained rates, so corepin's goal lines also read its burst on the warm pool.
    if (peer.id.startsWith('corepin')) {
      await time('apply-burst-warm', WARM_BURSTS * s['apply-burst'], async () => {
        for (let b = 0; b < WARM_BURSTS; b++) {
          const all = new Array<Promise<unknown>>(s['apply-burst']);
          for (let i = 0; i < all.length; i++) all[i] = pool.apply('noop', i);
          await Promise.all(all);
        }
      });
    }
    await time('apply-closed', s['apply-closed'], () => closedLoop(s['apply-closed'], 8, (i) => pool.apply('noop', i)));
    await time('map-auto', mapItems.length, () => (pool.map ? pool.map('noop', mapItems) : chunkedMap(pool, mapItems, cfg.workers)));
    const imap = pool.imap?.bind(pool);
    if (imap) {
      for (const [id, chunk] of [['imap-1', 1], ['imap-1000', 1000]] as const) {
        await time(id, s[id], async () => {
          for await (const _ of imap('noop', count(s[id]), chunk));
        });
      }
    }
  } finally {
    await closePool(pool, `${peer.id} throughput`, note);
  }
}

async function warmUp(pool: BenchPool, cfg: BenchConfig): Promise<void> {
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < cfg.warmup; i++) all.push(pool.apply('noop', i));
  await Promise.all(all);
  const few = Array.from({ length: cfg.warmup * 10 }, (_, i) => i);
  await (pool.map ? pool.map('noop', few) : chunkedMap(pool, few, cfg.workers));
  if (pool.imap) for await (const _ of pool.imap('noop', count(cfg.warmup), 1));
}
