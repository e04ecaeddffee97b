import type { BenchResults, GoalResult } from '../BenchResults.js';
import { medianOf } from './ratioToCorepin.js';

const NODE_THREAD_PEERS = ['piscina', 'tinypool-thread', 'workerpool-thread', 'poolifier-thread'];
const NODE_PROCESS_PEERS = ['tinypool-process', 'workerpool-process', 'poolifier-process'];

/** Checks the goals of issues 4 and 7 against a finished run; a goal whose numbers are missing is `unknown`. */
export function evaluateGoals(r: BenchResults): GoalResult[] {
  const goals: GoalResult[] = [];
  const ratioGoal = (id: string, goal: string, num: number | null, den: number | null, min: number, what: string): void => {
    if (num === null || den === null) goals.push({ id, goal, status: 'unknown', measured: `missing: ${what}` });
    else {
      const q = num / den;
      goals.push({ id, goal, status: q >= min ? 'met' : 'missed', measured: `${q.toFixed(2)}× (${what})` });
    }
  };
  const fastest = (ids: string[], w: 'apply-burst'): { id: string; v: number } | null => {
    let best: { id: string; v: number } | null = null;
    for (const id of ids) {
      const v = medianOf(r, w, id);
      if (v !== null && (!best || v > best.v)) best = { id, v };
    }
    return best;
  };
  const ct = (w: Parameters<typeof medianOf>[1]): number | null => medianOf(r, w, 'corepin-thread');
  const cp = (w: Parameters<typeof medianOf>[1]): number | null => medianOf(r, w, 'corepin-process');
  const py = (w: Parameters<typeof medianOf>[1]): number | null => medianOf(r, w, 'python-mp');

  const ft = fastest(NODE_THREAD_PEERS, 'apply-burst');
  ratioGoal('apply-burst-thread', 'apply burst: thread pool ≥ 1.2× the fastest Node thread pool', ct('apply-burst'), ft?.v ?? null, 1.2, `vs ${ft?.id ?? 'no thread peer'}`);
  const fp = fastest(NODE_PROCESS_PEERS, 'apply-burst');
  ratioGoal('apply-burst-process', 'apply burst: process pool ≥ 1.5× the fastest Node process pool', cp('apply-burst'), fp?.v ?? null, 1.5, `vs ${fp?.id ?? 'no process peer'}`);
  ratioGoal('apply-burst-python', "apply burst: process pool ≥ Python's apply_async", cp('apply-burst'), py('apply-burst'), 1.0, 'vs Python');
  ratioGoal('map-process', "map, automatic chunk size: process pool ≥ 1.0× Python's Pool.map", cp('map-auto'), py('map-auto'), 1.0, 'vs Python');
  ratioGoal('map-thread', "map, automatic chunk size: thread pool ≥ 2× Python's Pool.map", ct('map-auto'), py('map-auto'), 2.0, 'vs Python');
  for (const kind of ['thread', 'process'] as const) {
    const pinned = medianOf(r, 'startup-pinned', `corepin-${kind}`);
    const unpinned = medianOf(r, 'startup-unpinned', `corepin-${kind}`);
    const goal = `start-up to first result, ${kind} pool: pinned ≤ 1.1× unpinned`;
    if (pinned === null || unpinned === null) goals.push({ id: `startup-${kind}`, goal, status: 'unknown', measured: 'missing start-up numbers' });
    else {
      const q = pinned / unpinned;
      goals.push({ id: `startup-${kind}`, goal, status: q <= 1.1 ? 'met' : 'missed', measured: `${q.toFixed(3)}× (${pinned.toFixed(1)} ms vs ${unpinned.toFixed(1)} ms)` });
    }
  }
  const pin = (id: string): number | null => r.pin.find((p) => p.id === id)?.nsPerCall ?? null;
  ratioGoal('pin-vs-spawn', 'pin, native: ≥ 500× faster than spawning taskset', pin('spawn-taskset'), pin('native-pin'), 500, 'spawn taskset ÷ native pin');
  const native = pin('native-pin');
  const pyPin = pin('python-setaffinity');
  if (native === null || pyPin === null) {
    goals.push({ id: 'pin-vs-python', goal: "pin, native: within 2× of Python's os.sched_setaffinity", status: 'unknown', measured: 'missing pin numbers' });
  } else {
    const q = native / pyPin;
    goals.push({ id: 'pin-vs-python', goal: "pin, native: within 2× of Python's os.sched_setaffinity", status: q <= 2 ? 'met' : 'missed', measured: `${q.toFixed(2)}× Python's time per call` });
  }
  const pinnedRuns = r.series.filter((s) => s.workload === 'cache-pinned');
  const moves = pinnedRuns.flatMap((s) => s.migrations);
  goals.push({
    id: 'zero-migrations',
    goal: 'pinned workers show zero migrations after pinning',
    status: moves.length === 0 ? 'unknown' : moves.every((m) => m === 0) ? 'met' : 'missed',
    measured: moves.length === 0 ? 'no pinned cache rounds' : `${moves.reduce((a, b) => a + b, 0)} migrations over ${moves.length} pinned rounds`,
  });
  return goals;
}
