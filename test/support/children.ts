import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Starts a real Node process with `threads` worker threads that stay alive, and waits until it has
 * printed "ready" (all threads started). Kill it when done.
 */
export async function startThreadedChild(threads = 2): Promise<ChildProcess & { pid: number }> {
  const code = `
    const { Worker } = require('node:worker_threads');
    let up = 0;
    for (let i = 0; i < ${threads}; i++) {
      const w = new Worker('setInterval(() => {}, 1000); require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
      w.once('message', () => { if (++up === ${threads}) console.log('ready'); });
    }
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!chunk.toString().includes('ready')) throw new Error(`child did not start: ${chunk.toString()}`);
  return child as ChildProcess & { pid: number };
}

/** Kills a child and waits for it to be gone. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGKILL');
  await gone;
}
