import { Tinypool } from 'tinypool';
import type { Peer, PoolKind, TaskName } from './Peer.js';

const TASKS = new URL('../tasks/taskModule.js', import.meta.url).href;

/**
 * tinypool 2 with `runtime: 'worker_threads'` or `'child_process'`. Recycling is `isolateWorkers`
 * (a fresh worker for every task), the peer of corepin's `maxTasksPerChild: 1`; other N are refused.
 * `concurrentTasksPerWorker: 8` ran fastest in a tuning run (bench/README.md, "Peer options"); a
 * recycling pool keeps 1, since every worker there runs exactly one task. `useAtomics` stays on (default).
 */
export function tinypoolPeer(kind: PoolKind): Peer {
  return {
    id: `tinypool-${kind}`,
    label: `tinypool (${kind})`,
    kind,
    supports: { pinning: false, recycling: true },
    async unavailable() {
      return null;
    },
    async create({ workers, maxTasksPerChild }) {
      if (maxTasksPerChild !== undefined && maxTasksPerChild !== 1) {
        throw new Error(`tinypool can only recycle after every task (isolateWorkers), not after ${maxTasksPerChild}`);
      }
      const pool = new Tinypool({
        filename: TASKS,
        runtime: kind === 'thread' ? 'worker_threads' : 'child_process',
        minThreads: workers,
        maxThreads: workers,
        idleTimeout: 600_000,
        isolateWorkers: maxTasksPerChild === 1,
        concurrentTasksPerWorker: maxTasksPerChild === 1 ? 1 : 8,
      });
      return {
        apply: (task, arg) => pool.run(arg, { name: task }) as Promise<unknown>,
      ...(kind === 'thread' ? { applyTransfer: (task: TaskName, arg: ArrayBuffer) => pool.run(arg, { name: task, transferList: [arg] }) as Promise<unknown> } : {}),
        close: () => pool.destroy(),
      };
    },
  };
}
