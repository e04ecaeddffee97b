import { pythonPeer } from '../peers/pythonPeer.js';
import { startupSample } from '../workloads/startupSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/**
 * Pool creation to first result: every pool unpinned, and pinned where it can pin (corepin; Python
 * with os.sched_setaffinity in its initializer). Each pool is started once untimed first, so module
 * loading is not counted.
 */
export async function startupPhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const contestants: Contestant[] = [];
  for (const peer of ctx.peers) {
    for (const pinned of peer.supports.pinning ? [false, true] : [false]) {
      const id = pinned ? 'startup-pinned' : 'startup-unpinned';
      try {
        await startupSample(peer, cfg.workers, pinned, cfg.sampleTimeoutMs, ctx.note);
      } catch (err) {
        book.fail(id, peer.id, err);
        continue;
      }
      contestants.push({
        label: `${peer.id} ${id}`,
        run: () => startupSample(peer, cfg.workers, pinned, cfg.sampleTimeoutMs, ctx.note).then((ms) => book.add(id, peer.id, ms), (err: unknown) => book.fail(id, peer.id, err)),
      });
    }
  }
  if (ctx.python) {
    let flip = false;
    contestants.push({
      label: 'python startup',
      run: async () => {
        flip = !flip;
        try {
          const t = await pythonPeer.run({ phase: 'startup', workers: cfg.workers, variants: flip ? ['unpinned', 'pinned'] : ['pinned', 'unpinned'] });
          for (const [variant, [, s]] of Object.entries(t)) book.add(variant === 'pinned' ? 'startup-pinned' : 'startup-unpinned', pythonPeer.id, s * 1000);
        } catch (err) {
          book.fail('startup-unpinned', pythonPeer.id, err);
        }
      },
    });
  }
  await interleave(ctx, 'start-up', contestants);
}
