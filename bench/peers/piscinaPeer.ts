import { Piscina } from 'piscina';
import type { Peer } from './Peer.js';

const TASKS = new URL('../tasks/taskModule.js', import.meta.url).href;

/** piscina 5 (worker_threads only), with a fixed number of threads and default options otherwise. */
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
    const pool = new Piscina({ filename: TASKS, minThreads: workers, maxThreads: workers, idleTimeout: 600_000 });
    return {
      apply: (task, arg) => pool.run(arg, { name: task }) as Promise<unknown>,
      close: () => pool.close(),
    };
  },
};
