import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// bench/python/mp_bench.py is not compiled; from dist/bench/peers/ it is three levels up.
const SCRIPT = fileURLToPath(new URL('../../../bench/python/mp_bench.py', import.meta.url));

/** Per workload, [tasks, seconds] as Python timed them. */
export type PythonTimings = Record<string, [number, number]>;

/** What the Python side is asked to run; see bench/python/mp_bench.py. */
export type PythonSpec =
  | { phase: 'throughput'; workers: number; warmup: number; sizes: Record<string, number> }
  | { phase: 'startup'; workers: number; variants: readonly ('pinned' | 'unpinned')[] }
  | { phase: 'recycle'; workers: number; tasks: number }
  | { phase: 'forkfloor'; pairs: number }
  | { phase: 'payload'; workers: number; sizes: number[]; tasks: number[] }
  | { phase: 'info' };

/** Python's `multiprocessing.Pool` (default start method) driven through `python3 mp_bench.py`. */
export const pythonPeer = {
  id: 'python-mp',
  label: 'Python mp.Pool',
  kind: 'process' as const,

  /** Runs one phase in a fresh interpreter and returns its own timings. */
  run(spec: PythonSpec, timeoutMs = 120_000): Promise<PythonTimings> {
    return new Promise((resolve, reject) => {
      execFile('python3', [SCRIPT, JSON.stringify(spec)], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`python3 ${spec.phase}: ${err.message.split('\n')[0]} ${stderr.trim().split('\n').pop() ?? ''}`));
        else resolve(JSON.parse(stdout) as PythonTimings);
      });
    });
  },

  /** `3.11.7 (fork)`, or null with the reason in `why` when python3 or multiprocessing is missing. */
  async version(): Promise<{ version: string | null; why: string }> {
    try {
      const r = (await this.run({ phase: 'info' }, 20_000)) as unknown as { version: string; start_method: string };
      return { version: `${r.version} (${r.start_method})`, why: '' };
    } catch (err) {
      return { version: null, why: `Python skipped: ${(err as Error).message}` };
    }
  },
};
