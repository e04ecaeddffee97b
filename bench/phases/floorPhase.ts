import { pythonPeer } from '../peers/pythonPeer.js';
import type { PoolKind } from '../peers/Peer.js';
import type { PeerInfo } from '../BenchResults.js';
import type { WorkloadId } from '../workloads/Workload.js';
import { processIpcBatches, processIpcPerTask, processPipeNdjson } from '../floors/processFloors.js';
import { promisePerTask, threadMessageBatches, threadMessagePerTask, threadSharedRing } from '../floors/threadFloors.js';
import { interleave, type Contestant, type PhaseContext } from './PhaseContext.js';

/** The floor rows of the table: what Node (and Python's fork) allow with no pool at all. */
export const FLOORS: readonly (PeerInfo & { readonly column: WorkloadId })[] = [
  { id: 'floor-thread-message', label: 'floor: threads, postMessage per task', kind: 'thread', skipped: null, floor: true, column: 'apply-burst' },
  { id: 'floor-promise', label: 'floor: one promise per task, no worker', kind: 'thread', skipped: null, floor: true, column: 'apply-burst' },
  { id: 'floor-thread-ring', label: 'floor: threads, SharedArrayBuffer ring', kind: 'thread', skipped: null, floor: true, column: 'apply-burst' },
  { id: 'floor-thread-batch', label: 'floor: threads, batches of 1000', kind: 'thread', skipped: null, floor: true, column: 'map-auto' },
  { id: 'floor-process-ipc', label: 'floor: processes, fork IPC per task', kind: 'process', skipped: null, floor: true, column: 'apply-burst' },
  { id: 'floor-process-ipc-batch', label: 'floor: processes, IPC batches of 1000', kind: 'process', skipped: null, floor: true, column: 'map-auto' },
  { id: 'floor-process-pipe', label: 'floor: processes, pipe NDJSON batches', kind: 'process', skipped: null, floor: true, column: 'map-auto' },
  { id: 'floor-node-start', label: 'floor: node -e 0, two at a time', kind: 'process', skipped: null, floor: true, column: 'recycle' },
  { id: 'floor-node-module', label: 'floor: node child, IPC + the ES task module, two at a time', kind: 'process', skipped: null, floor: true, column: 'recycle' },
  { id: 'floor-python-fork', label: 'floor: Python os.fork, two at a time', kind: 'process', skipped: null, floor: true, column: 'recycle' },
];

/**
 * Measures the floors, rounds interleaved: 2 workers echoing `x + 1` by the barest means (per-task
 * messages, batches, a shared-memory ring; IPC, pipes). The `node -e 0` row (bare starts two at a time)
 * is measured by the recycling and start-up phases, beside corepin's samples, under the same load; so
 * is the module row (a bare child importing the task module over IPC, bench/floors/moduleChild.cjs).
 */
export async function floorPhase(ctx: PhaseContext): Promise<PeerInfo[]> {
  const { cfg, book } = ctx;
  const f = cfg.floors;
  const rate = (id: string, column: WorkloadId, measure: () => Promise<number>): Contestant => ({
    label: id,
    run: () => measure().then((v) => book.add(column, id, v), (err: unknown) => book.fail(column, id, err)),
  });
  const contestants: Contestant[] = [
    rate('floor-thread-message', 'apply-burst', () => threadMessagePerTask(f.perTask, cfg.workers)),
    rate('floor-promise', 'apply-burst', () => promisePerTask(f.ring, cfg.sizes['apply-burst'])),
    rate('floor-thread-ring', 'apply-burst', () => threadSharedRing(f.ring, cfg.workers)),
    rate('floor-thread-batch', 'map-auto', () => threadMessageBatches(f.batched, 1000, cfg.workers)),
    rate('floor-process-ipc', 'apply-burst', () => processIpcPerTask(f.perTask, cfg.workers)),
    rate('floor-process-ipc-batch', 'map-auto', () => processIpcBatches(f.batched, 1000, cfg.workers)),
    rate('floor-process-pipe', 'map-auto', () => processPipeNdjson(f.batched, 1000, cfg.workers)),
  ];
  const infos: PeerInfo[] = FLOORS.filter((x) => x.id !== 'floor-python-fork').map(({ column: _c, ...info }) => info);
  if (ctx.python) {
    contestants.push({
      label: 'floor-python-fork',
      run: async () => {
        try {
          const t = await pythonPeer.run({ phase: 'forkfloor', pairs: f.startPairs * 4 });
          book.add('recycle', 'floor-python-fork', t['forks']![0] / t['forks']![1]);
          book.add('startup-unpinned', 'floor-python-fork', t['pair']![1] * 1000);
        } catch (err) {
          book.fail('recycle', 'floor-python-fork', err);
        }
      },
    });
    infos.push({ id: 'floor-python-fork', label: 'floor: Python os.fork, two at a time', kind: 'process' as PoolKind, skipped: null, floor: true });
  }
  await interleave(ctx, 'floors', contestants);
  return infos;
}
