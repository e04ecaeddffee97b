import { startCpuHog } from '../measure/cpuHog.js';
import { cacheSample } from '../workloads/cacheSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/**
 * The reason pinning exists: cache walks with one CPU hog running, pinned versus unpinned, for every
 * pool that can pin. Records throughput per round and the worker threads' migrations per round.
 */
export async function cachePhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const pinners = ctx.peers.filter((p) => p.supports.pinning);
  if (pinners.length === 0) {
    ctx.notes.push('cache-hungry workload skipped: no pool that can pin is available');
    return;
  }
  const hog = startCpuHog();
  ctx.log(`cache: CPU hog started (pid ${hog.pid})`);
  const contestants: Contestant[] = [];
  for (const peer of pinners) {
    for (const pinned of [true, false]) {
      const id = pinned ? 'cache-pinned' : 'cache-unpinned';
      const p99 = pinned ? 'cache-p99-pinned' : 'cache-p99-unpinned';
      contestants.push({
        label: `${peer.id} ${id}`,
        run: () =>
          cacheSample(peer, cfg.workers, pinned, cfg.cache, cfg.sampleTimeoutMs, ctx.note, hog.pid).then(
            (s) => {
              // Where the hog went, per round: with pinned workers it shares one worker's CPU, and each
              // move hands the halved share to the other worker.
              ctx.log(`cache: ${peer.id} ${id}: ${s.rate.toFixed(0)} walks/s, hog moved ${s.hogMigrations ?? '?'}×, fewest warm-up walks of a worker ${s.warmWalksMin}`);
              book.add(id, peer.id, s.rate, s.migrations);
              book.add(p99, peer.id, s.p99);
            },
            (err: unknown) => book.fail(id, peer.id, err),
          ),
      });
    }
  }
  try {
    await interleave(ctx, 'cache walk', contestants);
  } finally {
    await hog.stop();
  }
}
