// Jobs of the queue benchmark: the same two exports for every setup (BullMQ in-process, sandboxed,
// corepin worker). `cpu` does a fixed amount of work (calibrated to ~5 ms on an idle core), not a
// timed spin, so a busy machine shows up as fewer jobs/s instead of being hidden.

/** A trivial job: x + 1. */
export function trivial(x: number): number {
  return x + 1;
}

/** `k` rounds of integer mixing: CPU-bound, no allocation. */
export function cpu(input: { k: number; x: number }): number {
  let h = input.x | 0;
  for (let i = 0; i < input.k; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i;
  return h;
}

/** Runs `cpu` n times in a row (the compute ceiling's inner loop). */
export function cpuLoop(input: { k: number; n: number }): number {
  let h = 0;
  for (let j = 0; j < input.n; j++) h ^= cpu({ k: input.k, x: j });
  return h;
}
