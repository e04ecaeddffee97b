import { Pool } from '../../src/index.js';
import type { Peer, PoolKind, TaskName } from './Peer.js';

const TASKS = new URL('../tasks/taskModule.js', import.meta.url);

/**
 * corepin's Pool of one kind, with default options: pinned with the default `spread` placement (one
 * CPU per worker here), or `placement: 'none'` for the unpinned rows. Thread pools move an
 * ArrayBuffer with apply's `transfer` (`applyTransfer`); a process cannot take another's memory, so
 * a process pool has no `applyTransfer` (it would only copy, as its clone row does).
 */
export function corepinPeer(kind: PoolKind): Peer {
  return {
    id: `corepin-${kind}`,
    label: `corepin (${kind})`,
    kind,
    supports: { pinning: true, recycling: true },
    async unavailable() {
      return null;
    },
    async create({ workers, pinned, maxTasksPerChild, serialization }) {
      const pool = new Pool({
        module: TASKS,
        kind,
        workers,
        placement: pinned ? 'spread' : 'none',
        ...(maxTasksPerChild !== undefined ? { maxTasksPerChild } : {}),
        ...(serialization !== undefined && kind === 'process' ? { serialization } : {}),
      });
      return {
        apply: (task, arg) => pool.apply(task, [arg]),
        ...(kind === 'thread' ? { applyTransfer: (task: TaskName, arg: ArrayBuffer) => pool.apply(task, [arg], { transfer: [arg] }) } : {}),
        map: (task, items) => pool.map(task, items),
        imap: (task, items, chunksize) => pool.imap(task, items, { chunksize }),
        close: () => pool.close(),
      };
    },
  };
}
