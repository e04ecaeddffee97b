import { pythonPeer } from '../peers/pythonPeer.js';
import { bracketWithFloor, moduleChildPairTimes } from '../floors/startFloors.js';
import { summarize } from '../measure/summarize.js';
import { recycleSample } from '../workloads/recycleSample.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/**
 * A fresh worker per task: corepin `maxTasksPerChild: 1`, tinypool `isolateWorkers`, Python `maxtasksperchild=1`.
 * The `node -e 0` floor (two at a time) is measured here, right before and after each corepin process
 * sample, so that corepin ÷ floor is a ratio of two numbers taken under the same load; the per-round
 * ratios go in the notes with their spread.
 */
export async function recyclePhase(ctx: PhaseContext): Promise<void> {
  const { cfg, book } = ctx;
  const ratios: number[] = [];
  const half = Math.max(2, Math.ceil(cfg.floors.startPairs / 2));
  const contestants: Contestant[] = ctx.peers
    .filter((p) => p.supports.recycling)
    .map((peer) => {
      const sample = (): Promise<number> => recycleSample(peer, cfg.workers, cfg.recycleTasks, cfg.sampleTimeoutMs, ctx.note);
      if (peer.id !== 'corepin-process') return { label: peer.id, run: () => sample().then((v) => book.add('recycle', peer.id, v), (err: unknown) => book.fail('recycle', peer.id, err)) };
      return {
        label: `${peer.id} between floor pairs`,
        run: async () => {
          try {
            const { value, pairMs } = await bracketWithFloor(half, sample);
            const floor = (2 * pairMs.length) / (pairMs.reduce((a, b) => a + b, 0) / 1000);
            book.add('recycle', peer.id, value);
            book.add('recycle', 'floor-node-start', floor);
            ratios.push(value / floor);
          } catch (err) {
            book.fail('recycle', peer.id, err);
          }
        },
      };
    });
  contestants.push({
    label: 'floor-node-module',
    run: async () => {
      try {
        const ms = await moduleChildPairTimes(2 * half);
        book.add('recycle', 'floor-node-module', (2 * ms.length) / (ms.reduce((a, b) => a + b, 0) / 1000));
      } catch (err) {
        book.fail('recycle', 'floor-node-module', err);
      }
    },
  });
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
  noteRatios(ctx, 'recycling, corepin process ÷ node -e 0 floor measured beside it', ratios);
}

/** One note with the per-round ratios of corepin to the floor beside it: median and range. */
export function noteRatios(ctx: PhaseContext, what: string, ratios: readonly number[]): void {
  const s = summarize(ratios);
  if (s === null) return;
  ctx.note(`${what}: median ${s.median.toFixed(2)}× over ${s.n} samples (range ${s.min.toFixed(2)}–${s.max.toFixed(2)}×; per sample ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
}
