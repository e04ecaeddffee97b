import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pin, affinityOf, usableCpus, selectBackend, currentCpu, CpuSet } from '../src/index.js';

/** One measured line: what, median ns per call over rounds, and the rounds. */
export interface PinResult {
  readonly name: string;
  readonly nsPerCall: number;
  readonly rounds: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function measure(name: string, calls: number, rounds: number, fn: () => void): PinResult {
  for (let i = 0; i < Math.min(calls, 1000); i++) fn(); // warm up
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    per.push(((performance.now() - t0) * 1e6) / calls);
  }
  return { name, nsPerCall: median(per), rounds: per };
}

/** Python's raw os.sched_setaffinity on the calling thread, measured by Python itself; null without python3. */
function pythonSetaffinity(cpus: CpuSet, calls: number, rounds: number): PinResult | null {
  const code = `
import os, time, json
s = set(${JSON.stringify(cpus.toArray())})
out = []
for r in range(${rounds}):
    t = time.perf_counter_ns()
    for i in range(${calls}):
        os.sched_setaffinity(0, s)
    out.append((time.perf_counter_ns() - t) / ${calls})
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const per = JSON.parse(r.stdout) as number[];
  return { name: "python os.sched_setaffinity(0, cpus)", nsPerCall: median(per), rounds: per };
}

/** The recipe's way: spawning `taskset -p -c LIST PID` once per pin. */
function tasksetSpawn(cpus: CpuSet, calls: number, rounds: number): PinResult {
  return measure('spawn taskset -p -c LIST PID (the recipe)', calls, rounds, () => {
    spawnSync('taskset', ['-p', '-c', cpus.toList(), String(process.pid)], { stdio: 'ignore' });
  });
}

/** Runs every pin measurement side by side; `quick` shrinks the counts. */
export function runPinBench(quick = false): PinResult[] {
  const all = usableCpus();
  // The set contains the CPU we run on, so the kernel does not have to migrate us: the hot path.
  const here = all.has(currentCpu()) ? all : CpuSet.of(currentCpu());
  const rounds = quick ? 3 : 7;
  const nativeCalls = quick ? 20000 : 200000;
  const slowCalls = quick ? 20 : 60;
  const out: PinResult[] = [];
  selectBackend('native');
  out.push(measure("native pin('thread', cpus)", nativeCalls, rounds, () => pin('thread', here)));
  out.push(measure("native affinityOf('thread')", nativeCalls, rounds, () => affinityOf('thread')));
  selectBackend('taskset');
  out.push(measure("taskset backend pin('thread', cpus)", slowCalls, rounds, () => pin('thread', here)));
  out.push(measure("taskset backend affinityOf('thread')", nativeCalls / 10, rounds, () => affinityOf('thread')));
  selectBackend('native');
  out.push(tasksetSpawn(here, slowCalls, rounds));
  const py = pythonSetaffinity(here, nativeCalls, rounds);
  if (py) out.push(py);
  pin('self', all);
  return out;
}

/** Formats the pin table with ratios to native pin. */
export function formatPinTable(results: PinResult[]): string {
  const base = results[0]!.nsPerCall;
  const lines = ['pin cost (median per call)', `${'what'.padEnd(48)} ${'per call'.padStart(12)}  ratio to native pin`];
  for (const r of results) {
    const t = r.nsPerCall >= 1e6 ? `${(r.nsPerCall / 1e6).toFixed(2)} ms` : r.nsPerCall >= 1e3 ? `${(r.nsPerCall / 1e3).toFixed(2)} µs` : `${r.nsPerCall.toFixed(0)} ns`;
    lines.push(`${r.name.padEnd(48)} ${t.padStart(12)}  ${(r.nsPerCall / base).toFixed(1)}×`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatPinTable(runPinBench(process.argv.includes('--quick'))));
}
