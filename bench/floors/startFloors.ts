import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Starts of a bare process, two at a time: what recycling and start-up cannot go under. */
export interface StartFloor {
  /** Processes started (and exited) per second, two at a time. */
  readonly perSecond: number;
  /** Median milliseconds for one pair to start and exit. */
  readonly pairMs: number;
}

function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node -e 0 exited with ${code}`))));
  });
}

/**
 * `pairs` times: start two `node -e 0` at once and wait for both to exit. Node cannot fork, so a
 * fresh worker process costs at least this (it inherits this process's environment and flags-free argv).
 */
export async function nodeStartFloor(pairs: number): Promise<StartFloor> {
  await Promise.all([run(), run()]); // untimed: page cache warm
  const each: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < pairs; i++) {
    const t = performance.now();
    await Promise.all([run(), run()]);
    each.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  each.sort((a, b) => a - b);
  return { perSecond: (2 * pairs) / seconds, pairMs: each[each.length >> 1]! };
}
