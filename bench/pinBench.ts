import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pin, affinityOf, usableCpus, selectBackend, currentCpu, CpuSet } from '../src/index.js';
import { summarize } from './measure/summarize.js';
import { formatPinTable } from './report/formatPinTable.js';

/** One measured line: what, median ns per call over rounds, and the rounds. */
export interface PinResult {
  /** Stable id for JSON and goals: native-pin, native-get, taskset-pin, taskset-get, spawn-taskset, python-setaffinity. */
  readonly id: string;
  readonly name: string;
  readonly nsPerCall: number;
  readonly rounds: number[];
}

function median(xs: number[]): number {
  return summarize(xs)!.median;
}

/** One pin measurement: `calls` calls of `fn` per round, after the backend `backend` is selected. */
interface PinCase {
  readonly id: string;
  readonly name: string;
  readonly backend: 'native' | 'taskset';
  readonly calls: number;
  readonly fn: () => void;
}

/** Median ns per call of every case, rounds interleaved (each round runs every case once, order rotated). */
function measureInterleaved(cases: readonly PinCase[], rounds: number, python: (round: number) => number | null): PinResult[] {
  for (const c of cases) {
    selectBackend(c.backend);
    for (let i = 0; i < Math.min(c.calls, 1000); i++) c.fn(); // warm up
  }
  const per = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const py: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      selectBackend(c.backend);
      const t0 = performance.now();
      for (let i = 0; i < c.calls; i++) c.fn();
      per.get(c.id)!.push(((performance.now() - t0) * 1e6) / c.calls);
    }
    const p = python(r);
    if (p !== null) py.push(p);
  }
  selectBackend('native');
  const out = cases.map((c) => ({ id: c.id, name: c.name, nsPerCall: median(per.get(c.id)!), rounds: per.get(c.id)! }));
  if (py.length > 0) out.push({ id: 'python-setaffinity', name: 'python os.sched_setaffinity(0, cpus)', nsPerCall: median(py), rounds: py });
  return out;
}

/** Python's raw os.sched_setaffinity on the calling thread, ns per call measured by Python itself; null without python3. */
function pythonSetaffinity(cpus: CpuSet, calls: number): number | null {
  const code = `
import os, time
s = set(${JSON.stringify(cpus.toArray())})
for i in range(1000):
    os.sched_setaffinity(0, s)
t = time.perf_counter_ns()
for i in range(${calls}):
    os.sched_setaffinity(0, s)
print((time.perf_counter_ns() - t) / ${calls})`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout) : null;
}

/**
 * Runs every pin measurement side by side, rounds interleaved; `quick` shrinks the counts. Pins only
 * the calling thread, to a set that contains the CPU it runs on (the hot path: the kernel need not move
 * it), and restores the whole process to its usable CPUs at the end.
 */
export function runPinBench(quick = false): PinResult[] {
  const all = usableCpus();
  const here = all.has(currentCpu()) ? all : CpuSet.of(currentCpu());
  const rounds = quick ? 3 : 7;
  const nativeCalls = quick ? 20000 : 200000;
  const slowCalls = quick ? 20 : 60;
  const args = ['-p', '-c', here.toList(), String(process.pid)];
  const cases: PinCase[] = [
    { id: 'native-pin', name: "native pin('thread', cpus)", backend: 'native', calls: nativeCalls, fn: () => pin('thread', here) },
    { id: 'native-get', name: "native affinityOf('thread')", backend: 'native', calls: nativeCalls, fn: () => affinityOf('thread') },
    { id: 'taskset-pin', name: "taskset backend pin('thread', cpus)", backend: 'taskset', calls: slowCalls, fn: () => pin('thread', here) },
    { id: 'taskset-get', name: "taskset backend affinityOf('thread')", backend: 'taskset', calls: nativeCalls / 10, fn: () => affinityOf('thread') },
    {
      id: 'spawn-taskset',
      name: 'spawn taskset -p -c LIST PID (the recipe)',
      backend: 'native',
      calls: slowCalls,
      fn: () => spawnSync('taskset', args, { stdio: 'ignore' }),
    },
  ];
  try {
    return measureInterleaved(cases, rounds, () => pythonSetaffinity(here, nativeCalls));
  } finally {
    selectBackend('native');
    pin('self', all);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatPinTable(runPinBench(process.argv.includes('--quick'))));
}
