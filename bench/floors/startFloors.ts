import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

// Starts of a bare process, two at a time: what recycling and start-up cannot go under. Node cannot
// fork, so a fresh worker process costs at least this (it inherits this process's environment).

function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node -e 0 exited with ${code}`))));
  });
}

/** Pair times (ms) of `pairs` pairs of `node -e 0`, no warm-up: for bracketing a pool's sample. */
export async function nodeStartPairTimes(pairs: number): Promise<number[]> {
  const each: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const t = performance.now();
    await Promise.all([run(), run()]);
    each.push(performance.now() - t);
  }
  return each;
}

/**
 * Runs `pairs` floor pairs, then `sample`, then `pairs` more: the floor is measured right beside the
 * pool's sample, under the same load, so a ratio of the two is not decided by load that changed
 * between phases. Returns the sample's value and the floor's pair times (both brackets).
 */
export async function bracketWithFloor<T>(pairs: number, sample: () => Promise<T>): Promise<{ value: T; pairMs: number[] }> {
  const before = await nodeStartPairTimes(pairs);
  const value = await sample();
  const after = await nodeStartPairTimes(pairs);
  return { value, pairMs: [...before, ...after] };
}
