import { performance } from 'node:perf_hooks';
import type { BenchPool, TaskName } from '../peers/Peer.js';
import { withTimeout } from '../measure/withTimeout.js';

/** Tasks/s of `n` calls submitted at once, awaited together; `call(i)` makes the i-th. */
export async function timedBurst(n: number, call: (i: number) => Promise<unknown>, timeoutMs: number, what: string): Promise<number> {
  const all = new Array<Promise<unknown>>(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) all[i] = call(i);
  await withTimeout(Promise.all(all), timeoutMs, what);
  return n / ((performance.now() - t0) / 1000);
}

/** Runs `n` trivial tasks untimed so that every worker is up and warm. */
export async function warm(pool: BenchPool, n: number, timeoutMs: number, what: string): Promise<void> {
  await withTimeout(Promise.all(Array.from({ length: n }, (_, i) => pool.apply('noop' as TaskName, i))), timeoutMs, `${what} warm-up`);
}

/**
 * Iterations of `spin` per microsecond on this thread: the best of a few timed runs (the least
 * disturbed one), so that `spin(us × rate)` is about `us` µs of CPU on an idle core.
 */
export function calibrateSpin(spin: (iterations: number) => number): number {
  const iterations = 2_000_000;
  spin(iterations);
  let best = Infinity;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    spin(iterations);
    best = Math.min(best, performance.now() - t0);
  }
  return iterations / (best * 1000);
}
