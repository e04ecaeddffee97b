import type { Queue } from 'bullmq';

/**
 * One measured round: adds `n` jobs named `name` (data from `data(i)`) in bulk while the consumer
 * runs, and waits until the queue has nothing waiting, active or delayed. Completed jobs are removed
 * on completion (the same for every setup). Returns jobs/s from the first add to the drained queue.
 */
export async function drainRound(queue: Queue, name: string, n: number, data: (i: number) => unknown): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < n; first += 1000) {
    const count = Math.min(1000, n - first);
    await queue.addBulk(Array.from({ length: count }, (_, j) => ({ name, data: data(first + j), opts: { removeOnComplete: true, removeOnFail: true } })));
  }
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(c).every((v) => v === 0)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return n / ((performance.now() - started) / 1000);
}

/** Seconds to add `n` trivial jobs in bulk with no consumer (the producer's share of the time). */
export async function addOnly(queue: Queue, n: number): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < n; first += 1000) {
    const count = Math.min(1000, n - first);
    await queue.addBulk(Array.from({ length: count }, (_, j) => ({ name: 'trivial', data: first + j, opts: { removeOnComplete: true } })));
  }
  const s = (performance.now() - started) / 1000;
  await queue.obliterate({ force: true });
  return s;
}
