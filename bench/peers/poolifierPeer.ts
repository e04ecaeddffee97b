import { FixedClusterPool, FixedThreadPool } from 'poolifier';
import { fileURLToPath } from 'node:url';
import type { Peer, PoolKind } from './Peer.js';

const THREAD_WORKER = fileURLToPath(new URL('../tasks/poolifierThreadWorker.js', import.meta.url));
// CommonJS source file, not compiled (see the file): from dist/bench/peers/ it is three levels up.
const CLUSTER_WORKER = fileURLToPath(new URL('../../../bench/tasks/poolifierClusterWorker.cjs', import.meta.url));

/**
 * poolifier 5: `FixedThreadPool` (threads) or `FixedClusterPool` (processes, through node:cluster).
 * Threads enable poolifier's per-worker task queue with 8 concurrent tasks, which ran faster in a
 * tuning run; processes keep the defaults, which ran faster there (bench/README.md, "Peer options").
 */
export function poolifierPeer(kind: PoolKind): Peer {
  return {
    id: `poolifier-${kind}`,
    label: `poolifier (${kind})`,
    kind,
    supports: { pinning: false, recycling: false },
    async unavailable() {
      return null;
    },
    async create({ workers }) {
      const pool =
        kind === 'thread'
          ? new FixedThreadPool<unknown, unknown>(workers, THREAD_WORKER, { enableTasksQueue: true, tasksQueueOptions: { concurrency: 8 } })
          : new FixedClusterPool<unknown, unknown>(workers, CLUSTER_WORKER);
      return {
        apply: (task, arg) => pool.execute(arg, task),
        close: () => pool.destroy(),
      };
    },
  };
}
