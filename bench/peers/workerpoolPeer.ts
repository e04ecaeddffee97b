import workerpool from 'workerpool';
import { fileURLToPath } from 'node:url';
import type { Peer, PoolKind } from './Peer.js';

const SCRIPT = fileURLToPath(new URL('../tasks/workerpoolWorker.js', import.meta.url));

/** workerpool 10 with `workerType: 'thread'` or `'process'`, fixed at `workers` workers. */
export function workerpoolPeer(kind: PoolKind): Peer {
  return {
    id: `workerpool-${kind}`,
    label: `workerpool (${kind})`,
    kind,
    supports: { pinning: false, recycling: false },
    async unavailable() {
      return null;
    },
    async create({ workers }) {
      const pool = workerpool.pool(SCRIPT, { workerType: kind, minWorkers: workers, maxWorkers: workers });
      return {
        apply: (task, arg) => pool.exec(task, [arg]) as unknown as Promise<unknown>,
        close: async () => {
          await pool.terminate();
        },
      };
    },
  };
}
