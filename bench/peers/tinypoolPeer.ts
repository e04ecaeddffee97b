import { Tinypool } from 'tinypool';
import type { Peer, PoolKind } from './Peer.js';

const TASKS = new URL('../tasks/taskModule.js', import.meta.url).href;

/**
 * tinypool 2 with `runtime: 'worker_threads'` or `'child_process'`. Recycling is `isolateWorkers`
 * (a fresh worker for every task), the peer of corepin's `maxTasksPerChild: 1`; other N are refused.
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
      });
      return {
        apply: (task, arg) => pool.run(arg, { name: task }) as Promise<unknown>,
        close: () => pool.destroy(),
      };
    },
  };
}
