import { pythonPeer } from '../peers/pythonPeer.js';
import { bracketWithFloor, moduleChildPairTimes } from '../floors/startFloors.js';
import { summarize } from '../measure/summarize.js';
import { startupSample } from '../workloads/startupSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';
import { noteRatios } from './recyclePhase.js';

/**
 * Pool creation to first result: every pool unpinned, and pinned where it can pin (corepin; Python
 * with os.sched_setaffinity in its initializer). Each pool is started once untimed first, so module
 * loading is not counted. corepin's unpinned process pool is started several times per round (3 in
 * the full run), each start between pairs of `node -e 0` (the floor, measured here under the same
 * load), so neither side's figure rests on a single noisy start.
 */
export async function startupPhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const contestants: Contestant[] = [];
  const ratios: number[] = [];
  const repeats = cfg.quick ? 1 : 3;
  const pairs = Math.max(2, Math.ceil(cfg.floors.startPairs / (2 * repeats)));
  for (const peer of ctx.peers) {
    for (const pinned of peer.supports.pinning ? [false, true] : [false]) {
      const id = pinned ? 'startup-pinned' : 'startup-unpinned';
      const sample = (): Promise<number> => startupSample(peer, cfg.workers, pinned, cfg.sampleTimeoutMs, ctx.note);
      try {
        await sample();
      } catch (err) {
        book.fail(id, peer.id, err);
        continue;
      }
      if (peer.id === 'corepin-process' && !pinned) {
        contestants.push({
          label: `${peer.id} ${id} between floor pairs`,
          run: async () => {
            for (let i = 0; i < repeats; i++) {
              try {
                const { value, pairMs } = await bracketWithFloor(pairs, sample);
                const floor = summarize(pairMs)!.median;
                book.add(id, peer.id, value);
                book.add(id, 'floor-node-start', floor);
                ratios.push(floor / value);
              } catch (err) {
                book.fail(id, peer.id, err);
              }
            }
          },
        });
        continue;
      }
      contestants.push({
        label: `${peer.id} ${id}`,
        run: () => sample().then((ms) => book.add(id, peer.id, ms), (err: unknown) => book.fail(id, peer.id, err)),
      });
    }
  }
  // Node's own share of a worker start, measured the same way as node -e 0 (floorPhase.ts FLOORS).
  contestants.push({
    label: 'floor-node-module',
    run: () => moduleChildPairTimes(pairs).then((ms) => book.add('startup-unpinned', 'floor-node-module', summarize(ms)!.median), (err: unknown) => book.fail('startup-unpinned', 'floor-node-module', err)),
  });
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
  noteRatios(ctx, 'start-up, node -e 0 pair floor ÷ corepin process pool, measured beside it', ratios);
}
