import { startCpuHog } from '../measure/cpuHog.js';
import { cacheSample } from '../workloads/cacheSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/**
 * The reason pinning exists: cache walks with one CPU hog running, pinned versus unpinned, for every
 * pool that can pin. Records per round: throughput, the worker threads' migrations, and the tasks'
 * latency (p50, p99, interquartile range). Runs `cfg.cache.rounds` rounds, more and shorter than other
 * phases, because its goal compares spreads over rounds (bench/history/walk.md). One warm-up round
 * runs first and is not recorded: in the last two full runs the first round was the slowest of 5 in 7
 * of the 8 series (after the recycling phase; the cause was not found), and one such round decides a
 * max − min spread. (Not in --quick.)
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
  let recording = false;
  const contestants: Contestant[] = [];
  for (const peer of pinners) {
    for (const pinned of [true, false]) {
      const id = pinned ? 'cache-pinned' : 'cache-unpinned';
      const how = pinned ? 'pinned' : 'unpinned';
      contestants.push({
        label: `${peer.id} ${id}`,
        run: () =>
          cacheSample(peer, cfg.workers, pinned, cfg.cache, cfg.sampleTimeoutMs, ctx.note, hog.pid).then(
            (s) => {
              if (!recording) {
                ctx.log(`cache: ${peer.id} ${id}: ${s.rate.toFixed(0)} walks/s (warm-up round, not recorded)`);
                return;
              }
              // Where the hog went, per round: with pinned workers it shares one worker's CPU, and each
              // move hands the halved share to the other worker.
              ctx.log(`cache: ${peer.id} ${id}: ${s.rate.toFixed(0)} walks/s, hog moved ${s.hogMigrations ?? '?'}×, fewest warm-up walks of a worker ${s.warmWalksMin}, task latency p50 ${s.p50.toFixed(2)} ms, IQR ${s.iqr.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`);
              book.add(id, peer.id, s.rate, s.migrations);
              book.add(`cache-p99-${how}`, peer.id, s.p99);
              book.add(`cache-p50-${how}`, peer.id, s.p50);
              book.add(`cache-iqr-${how}`, peer.id, s.iqr);
            },
            (err: unknown) => (recording ? book.fail(id, peer.id, err) : ctx.note(`${peer.id} ${id}: warm-up round failed: ${String(err)}`)),
          ),
      });
    }
  }
  try {
    // Not in --quick (a smoke run of 1 round, kept under a minute).
    if (!cfg.quick) for (const c of contestants) await c.run();
    recording = true;
    await interleave(ctx, 'cache walk', contestants, cfg.cache.rounds);
  } finally {
    await hog.stop();
  }
}
