// Soft versus hard binding on the cache walk under a CPU hog: corepin process pools with
// `binding: 'slot'` (each worker on its own CPU) and `binding: 'pool'` (each worker on the union of
// the slots, the scheduler balances), rounds interleaved. Standalone:
//   npx tsc -p tsconfig.json && node dist/bench/bindingBench.js [--quick] [--rounds N] [--json FILE]
// Prints one row per mode (median tasks/s, spread, migrations) and the pool/slot ratio.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Pool } from '../src/index.js';
import type { BindingMode } from '../src/launch/LaunchSettings.js';
import { startCpuHog } from './measure/cpuHog.js';
import { formatMachineLine, machineInfo } from './measure/machineInfo.js';
import { summarize } from './measure/summarize.js';
import { startLoadSampler } from './measure/loadSampler.js';
import type { Peer } from './peers/Peer.js';
import { cacheSample } from './workloads/cacheSample.js';

const TASKS = new URL('./tasks/taskModule.js', import.meta.url);
const MODES: readonly BindingMode[] = ['slot', 'pool'];

/** The binding row of the benchmark, as the main run's result book can take it. */
export interface BindingBenchResult {
  readonly machine: string;
  /** 1-minute load average at the start and the end (recorded; the hog and the workers are part of it). */
  readonly load: { readonly start: number; readonly end: number };
  /** Other work outside this process tree during the run, in CPUs (mean), as `measure/loadSampler.ts` measures it. */
  readonly otherWork: number | null;
  /** Noisy as `measure/loadSampler.ts` decides: load before above the CPU count, or other work above its limit. */
  readonly noisy: boolean;
  readonly rounds: number;
  readonly modes: Record<BindingMode, { rate: number | null; spread: number | null; migrations: number | null }>;
  /** Median rate with binding 'pool' divided by that with 'slot' (above 1: soft binding wins here). */
  readonly poolOverSlot: number | null;
}

function bindingPeer(binding: BindingMode): Peer {
  return {
    id: `corepin-process-${binding}`,
    label: `corepin (process, binding ${binding})`,
    kind: 'process',
    supports: { pinning: true, recycling: true },
    unavailable: () => Promise.resolve(null),
    create: ({ workers }) => {
      const pool = new Pool({ module: TASKS, kind: 'process', workers, binding });
      return Promise.resolve({ apply: (task, arg) => pool.apply(task, [arg]), close: () => pool.close() });
    },
  };
}

/** Runs the comparison: `rounds` interleaved rounds per mode, a CPU hog running throughout. */
export async function bindingBench(opts: { rounds: number; quick: boolean; log?: (line: string) => void }): Promise<BindingBenchResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const workers = Math.min(2, os.availableParallelism());
  const walk = opts.quick ? { bytes: 2 << 20, steps: 100_000, tasks: 40 } : { bytes: 2 << 20, steps: 200_000, tasks: 400 };
  const sampler = startLoadSampler(2000);
  const start = os.loadavg()[0]!;
  const machine = formatMachineLine(machineInfo());
  const rates: Record<BindingMode, number[]> = { slot: [], pool: [] };
  const moves: Record<BindingMode, number[]> = { slot: [], pool: [] };
  const hog = startCpuHog();
  try {
    for (let round = 0; round < opts.rounds; round++) {
      // Alternate which mode goes first, so drift in the machine's load hits both alike.
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        const s = await cacheSample(bindingPeer(mode), workers, true, walk, 120_000, log);
        rates[mode].push(s.rate);
        moves[mode].push(s.migrations);
        log(`round ${round + 1}/${opts.rounds} binding ${mode}: ${s.rate.toFixed(1)} tasks/s, ${s.migrations} migrations`);
      }
    }
  } finally {
    await hog.stop();
  }
  const end = os.loadavg()[0]!;
  const loadRec = sampler.stop();
  const modes = Object.fromEntries(
    MODES.map((m) => {
      const r = summarize(rates[m]);
      return [m, { rate: r?.median ?? null, spread: r?.spread ?? null, migrations: summarize(moves[m])?.median ?? null }];
    }),
  ) as BindingBenchResult['modes'];
  const poolOverSlot = modes.pool.rate !== null && modes.slot.rate ? modes.pool.rate / modes.slot.rate : null;
  return { machine, load: { start, end }, otherWork: loadRec.otherMean, noisy: loadRec.noisy, rounds: opts.rounds, modes, poolOverSlot };
}

/** The result as the benchmark table's soft-vs-hard row. */
export function formatBindingBench(r: BindingBenchResult): string {
  const fmt = (v: number | null, d = 1): string => (v === null ? '-' : v.toFixed(d));
  return [
    `Soft vs hard binding: cache walk under a CPU hog, ${r.rounds} rounds (${r.machine}; load ${r.load.start.toFixed(2)} → ${r.load.end.toFixed(2)}, other work ${r.otherWork === null ? 'unknown' : `${r.otherWork.toFixed(2)} CPUs`}${r.noisy ? ', noisy' : ''})`,
    '| binding | tasks/s (median) | spread | migrations (median) |',
    '| --- | ---: | ---: | ---: |',
    ...MODES.map((m) => `| ${m} | ${fmt(r.modes[m].rate)} | ${r.modes[m].spread === null ? '-' : `${(r.modes[m].spread! * 100).toFixed(0)}%`} | ${fmt(r.modes[m].migrations, 0)} |`),
    `pool / slot = ${fmt(r.poolOverSlot, 2)}× (${r.poolOverSlot === null ? 'no result' : r.poolOverSlot > 1 ? "soft binding ('pool') wins here" : "hard binding ('slot') wins here"})`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const at = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const rounds = Number(at('--rounds') ?? (quick ? 2 : 5));
  const result = await bindingBench({ rounds, quick });
  process.stdout.write(`${formatBindingBench(result)}\n`);
  const out = at('--json');
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}
