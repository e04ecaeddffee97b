import { Piscina } from 'piscina';
import type { Peer } from './Peer.js';

const TASKS = new URL('../tasks/taskModule.js', import.meta.url).href;

/**
 * piscina 5 (worker_threads only), fixed size, with the options that ran fastest in a tuning run
 * (bench/README.md, "Peer options"): `concurrentTasksPerWorker: 8` (a worker takes the next messages
 * while it runs one; 2× the burst rate) and `recordTiming: false` (no per-task histogram). `atomics`
 * stays at its default, `'sync'`.
 */
export const piscinaPeer: Peer = {
  id: 'piscina',
  label: 'piscina (thread)',
  kind: 'thread',
  supports: { pinning: false, recycling: false },
  async unavailable() {
    return null;
  },
  async create({ workers }) {
    // Fixed size like every other pool here; a long idle timeout so no thread retires between phases.
    const pool = new Piscina({
      filename: TASKS,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 600_000,
      concurrentTasksPerWorker: 8,
      recordTiming: false,
    });
    return {
      apply: (task, arg) => pool.run(arg, { name: task }) as Promise<unknown>,
      applyTransfer: (task, arg) => pool.run(arg, { name: task, transferList: [arg] }) as Promise<unknown>,
      close: () => pool.close(),
    };
  },
};
