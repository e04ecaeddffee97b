import { pythonPeer } from '../peers/pythonPeer.js';
import { recycleSample } from '../workloads/recycleSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/** A fresh worker per task: corepin `maxTasksPerChild: 1`, tinypool `isolateWorkers`, Python `maxtasksperchild=1`. */
export async function recyclePhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const contestants: Contestant[] = ctx.peers
    .filter((p) => p.supports.recycling)
    .map((peer) => ({
      label: peer.id,
      run: () => recycleSample(peer, cfg.workers, cfg.recycleTasks, cfg.sampleTimeoutMs, ctx.note).then((v) => book.add('recycle', peer.id, v), (err: unknown) => book.fail('recycle', peer.id, err)),
    }));
  if (ctx.python) {
    contestants.push({
      label: 'python recycle',
      run: async () => {
        try {
          const [ops, s] = (await pythonPeer.run({ phase: 'recycle', workers: cfg.workers, tasks: cfg.recycleTasks }))['recycle']!;
          book.add('recycle', pythonPeer.id, ops / s);
        } catch (err) {
          book.fail('recycle', pythonPeer.id, err);
        }
      },
    });
  }
  await interleave(ctx, 'recycling', contestants);
}
