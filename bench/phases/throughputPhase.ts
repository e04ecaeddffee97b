import { pythonPeer } from '../peers/pythonPeer.js';
import type { WorkloadId } from '../workloads/Workload.js';
import { throughputRound } from '../workloads/throughputRound.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/** Per-task and bulk workloads: every pool (and Python), one fresh pool per round, rounds interleaved. */
export async function throughputPhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const mapItems = Array.from({ length: cfg.sizes['map-auto'] }, (_, i) => i);
  const contestants: Contestant[] = ctx.peers.map((peer) => ({
    label: peer.id,
    run: () => throughputRound(peer, cfg, mapItems, book, ctx.note).catch((err: unknown) => book.fail('apply-burst', peer.id, err)),
  }));
  if (ctx.python) {
    contestants.push({
      label: pythonPeer.id,
      run: async () => {
        try {
          const t = await pythonPeer.run({ phase: 'throughput', workers: cfg.workers, warmup: cfg.warmup, sizes: cfg.sizes }, cfg.sampleTimeoutMs * 3);
          for (const [id, [ops, s]] of Object.entries(t)) book.add(id as WorkloadId, pythonPeer.id, ops / s);
        } catch (err) {
          book.fail('apply-burst', pythonPeer.id, err);
        }
      },
    });
  }
  await interleave(ctx, 'throughput', contestants);
}
