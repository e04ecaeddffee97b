import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// Starts of a bare process, two at a time: what recycling and start-up cannot go under. Node cannot
// fork, so a fresh worker process costs at least this (it inherits this process's environment).

function run(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node -e 0 exited with ${code}`))));
  });
}

const MODULE_CHILD = fileURLToPath(new URL('../../../bench/floors/moduleChild.cjs', import.meta.url));
const TASK_MODULE = new URL('../tasks/taskModule.js', import.meta.url).href;

/** One bare child that imports the suite's task module over IPC and answers one message (moduleChild.cjs). */
function runModuleChild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [MODULE_CHILD, TASK_MODULE], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let answered = false;
    c.once('error', reject);
    c.once('message', () => (answered = true));
    c.once('exit', (code) => (code === 0 && answered ? resolve() : reject(new Error(`the module floor child exited with ${code}${answered ? '' : ' before answering'}`))));
    c.send(1);
  });
}

async function pairTimes(pairs: number, one: () => Promise<void>): Promise<number[]> {
  const each: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const t = performance.now();
    await Promise.all([one(), one()]);
    each.push(performance.now() - t);
  }
  return each;
}

/** Pair times (ms) of `pairs` pairs of `node -e 0`, no warm-up: for bracketing a pool's sample. */
export function nodeStartPairTimes(pairs: number): Promise<number[]> {
  return pairTimes(pairs, run);
}

/**
 * Pair times (ms), spawn to exit, of `pairs` pairs of the barest child a process pool could use for
 * one task of the suite's ES task module: what Node itself costs a pool before any pool code runs
 * (the IPC channel and the ES module loader), so a pool's gap to `node -e 0` splits into Node's part
 * and the pool's own.
 */
export function moduleChildPairTimes(pairs: number): Promise<number[]> {
  return pairTimes(pairs, runModuleChild);
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
