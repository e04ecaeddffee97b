import type { Pool } from '../pool/Pool.js';

/**
 * `pool.ready()`, holding the event loop open meanwhile: the pool unrefs idle workers, so a CLI that
 * only awaits `ready()` would otherwise exit before its workers are up.
 */
export async function whenPoolReady(pool: Pool): Promise<void> {
  const hold = setInterval(() => {}, 1 << 30);
  try {
    await pool.ready();
  } finally {
    clearInterval(hold);
  }
}
