import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pin, affinityOf, usableCpus, selectBackend, currentCpu, CpuSet } from '../src/index.js';
import { loadNativeAddon } from '../src/os/nativeAddon.js';
import { summarize } from './measure/summarize.js';
import { formatPinTable } from './report/formatPinTable.js';

/** One measured line: what, median ns per call over rounds, and the rounds. */
export interface PinResult {
  /**
   * Stable id for JSON and goals: native-pin, native-pin-one, native-pin-text, native-pin-array, native-set-only,
   * native-read-only, native-set-get, native-get, taskset-pin, taskset-get, spawn-taskset,
   * python-setaffinity, python-setaffinity-one, python-set-get.
   */
  readonly id: string;
  readonly name: string;
  readonly nsPerCall: number;
  readonly rounds: number[];
  /**
   * Median CPU time of this process per call (user + system), for the calls that stay in-process
   * (null for spawns: their cost is in the child). On a loaded machine wall time also counts the
   * waits for a CPU, which land on whichever case runs while other work peaks; CPU time is the
   * call's own cost, so the comparison with Python (its `time.process_time`) uses it.
   */
  readonly cpuNsPerCall: number | null;
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
  /** Whether the work stays in this process, so its CPU time is its cost (false for spawns). */
  readonly inProcess?: boolean;
}

/** Median ns per call of every case, rounds interleaved (each round runs every case once, order rotated). */
function measureInterleaved(cases: readonly PinCase[], rounds: number, python: readonly PythonCase[]): PinResult[] {
  for (const c of cases) {
    selectBackend(c.backend);
    for (let i = 0; i < Math.min(c.calls, 1000); i++) c.fn(); // warm up
  }
  const per = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const cpu = new Map<string, number[]>(cases.map((c) => [c.id, []]));
  const py = new Map<string, { wall: number; cpu: number }[]>(python.map((p) => [p.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length]!;
      selectBackend(c.backend);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < c.calls; i++) c.fn();
      per.get(c.id)!.push(((performance.now() - t0) * 1e6) / c.calls);
      const u = process.cpuUsage(c0);
      cpu.get(c.id)!.push(((u.user + u.system) * 1e3) / c.calls);
    }
    for (const p of python) {
      const ns = p.run();
      if (ns !== null) py.get(p.id)!.push(ns);
    }
  }
  selectBackend('native');
  const out: PinResult[] = cases.map((c) => ({
    id: c.id,
    name: c.name,
    nsPerCall: median(per.get(c.id)!),
    rounds: per.get(c.id)!,
    cpuNsPerCall: c.inProcess === false ? null : median(cpu.get(c.id)!),
  }));
  for (const p of python) {
    const ns = py.get(p.id)!;
    if (ns.length > 0) out.push({ id: p.id, name: p.name, nsPerCall: median(ns.map((x) => x.wall)), rounds: ns.map((x) => x.wall), cpuNsPerCall: median(ns.map((x) => x.cpu)) });
  }
  return out;
}

/** One Python measurement, run once per round after the Node cases. */
interface PythonCase {
  readonly id: string;
  readonly name: string;
  readonly run: () => { wall: number; cpu: number } | null;
}

/**
 * Python's raw os.sched_setaffinity on the calling thread, ns per call (wall and process CPU) measured
 * by Python itself; null without python3. `readBack` adds os.sched_getaffinity(0) after each set: what
 * the same answer as pin's (the set the kernel applied) costs in Python.
 */
function pythonSetaffinity(cpus: CpuSet, calls: number, readBack = false): { wall: number; cpu: number } | null {
  const call = readBack ? 'os.sched_setaffinity(0, s); os.sched_getaffinity(0)' : 'os.sched_setaffinity(0, s)';
  const code = `
import os, time
s = set(${JSON.stringify(cpus.toArray())})
for i in range(1000):
    ${call}
c = time.process_time_ns()
t = time.perf_counter_ns()
for i in range(${calls}):
    ${call}
print((time.perf_counter_ns() - t) / ${calls}, (time.process_time_ns() - c) / ${calls})`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [wall, cpu] = r.stdout.trim().split(' ').map(Number);
  return wall !== undefined && cpu !== undefined ? { wall, cpu } : null;
}

/**
 * Runs every pin measurement side by side, rounds interleaved; `quick` shrinks the counts. Pins only
 * the calling thread, to a set that contains the CPU it runs on (the hot path: the kernel need not move
 * it), and restores the whole process to its usable CPUs at the end.
 */
export function runPinBench(quick = false): PinResult[] {
  const all = usableCpus();
  const here = all.has(currentCpu()) ? all : CpuSet.of(currentCpu());
  // One CPU (the one this thread is on now): pin()'s single-CPU path, which needs no read-back.
  const one = CpuSet.of(currentCpu());
  const addon = loadNativeAddon();
  const mask = here.toBytes();
  const bits = here.last! < 53 ? here.toArray().reduce((a, c) => a + 2 ** c, 0) : 0;
  const out = new Uint8Array(128);
  const n = `${here.size} CPU${here.size === 1 ? '' : 's'}`;
  const text = here.toList();
  const array = here.toArray();
  const rounds = quick ? 2 : 7; // --quick: the whole suite stays under a minute
  const nativeCalls = quick ? 20000 : 200000;
  const slowCalls = quick ? 20 : 60;
  const args = ['-p', '-c', here.toList(), String(process.pid)];
  const cases: PinCase[] = [
    { id: 'native-pin', name: `native pin('thread', cpus), ${n}`, backend: 'native', calls: nativeCalls, fn: () => pin('thread', here) },
    { id: 'native-pin-one', name: "native pin('thread', cpus), 1 CPU", backend: 'native', calls: nativeCalls, fn: () => pin('thread', one) },
    { id: 'native-pin-text', name: `native pin('thread', '${text}'), the list as text`, backend: 'native', calls: nativeCalls, fn: () => pin('thread', text) },
    { id: 'native-pin-array', name: `native pin('thread', [${here.toArray().join(', ')}]), an array: a new set each call`, backend: 'native', calls: nativeCalls, fn: () => pin('thread', array) },
    // Where pin()'s time goes: the addon's calls alone, no checks, no CpuSet.
    ...(addon
      ? [
          // The calls pin() makes: the mask as a number for CPUs below 53 (setAffinityBits, pinAndReadBits).
          bits > 0 && addon.setAffinityBits && addon.pinAndReadBits
            ? { id: 'native-set-only', name: `addon setAffinityBits alone, ${n} (1 system call, no read-back)`, backend: 'native' as const, calls: nativeCalls, fn: () => addon.setAffinityBits!(0, bits) }
            : { id: 'native-set-only', name: `addon setAffinity alone, ${n} (1 system call, no read-back)`, backend: 'native' as const, calls: nativeCalls, fn: () => addon.setAffinity(0, mask) },
          { id: 'native-read-only', name: 'addon getAffinityInto alone (the read-back: 1 system call)', backend: 'native' as const, calls: nativeCalls, fn: () => void addon.getAffinityInto(0, out) },
          bits > 0 && addon.setAffinityBits && addon.pinAndReadBits
            ? { id: 'native-set-get', name: `addon pinAndReadBits, ${n} (set + read-back, 2 system calls)`, backend: 'native' as const, calls: nativeCalls, fn: () => void addon.pinAndReadBits!(0, bits) }
            : { id: 'native-set-get', name: `addon pinAndRead, ${n} (set + read-back, 2 system calls)`, backend: 'native' as const, calls: nativeCalls, fn: () => void addon.pinAndRead(0, mask, out) },
        ]
      : []),
    { id: 'native-get', name: "native affinityOf('thread')", backend: 'native', calls: nativeCalls, fn: () => affinityOf('thread') },
    { id: 'taskset-pin', name: "taskset backend pin('thread', cpus)", backend: 'taskset', calls: slowCalls, fn: () => pin('thread', here), inProcess: false },
    { id: 'taskset-get', name: "taskset backend affinityOf('thread')", backend: 'taskset', calls: nativeCalls / 10, fn: () => affinityOf('thread') },
    {
      id: 'spawn-taskset',
      name: 'spawn taskset -p -c LIST PID (the recipe)',
      backend: 'native',
      calls: slowCalls,
      fn: () => spawnSync('taskset', args, { stdio: 'ignore' }),
      inProcess: false,
    },
  ];
  try {
    const python: PythonCase[] = [
      { id: 'python-setaffinity', name: `python os.sched_setaffinity(0, cpus), ${n}`, run: () => pythonSetaffinity(here, nativeCalls) },
      { id: 'python-setaffinity-one', name: 'python os.sched_setaffinity(0, cpus), 1 CPU', run: () => pythonSetaffinity(one, nativeCalls) },
      // Not the goal's peer (that is the single call above): what pin's answer costs in Python.
      { id: 'python-set-get', name: `python os.sched_setaffinity + os.sched_getaffinity, ${n} (pin's answer in Python; not the goal's peer)`, run: () => pythonSetaffinity(here, nativeCalls, true) },
    ];
    return measureInterleaved(cases, rounds, python);
  } finally {
    selectBackend('native');
    pin('self', all);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatPinTable(runPinBench(process.argv.includes('--quick'))));
}
