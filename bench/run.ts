// `npm run bench`: corepin and its peers side by side, in one run, rounds interleaved.
// Usage: node dist/bench/run.js [--quick] [--rounds N] [--json FILE] [--write] [--only PHASES] [--peers IDS]
//   --quick        small sizes and 2 rounds: a smoke run (numbers only indicative)
//   --json FILE    write every round's numbers, medians, goals and notes as JSON
//   --write        write BENCHMARKS.md and bench/chart.svg from this run
//   --only LIST    phases to run: throughput,startup,recycle,cache,pin,floors,payload,duration,workers,tasks,queue,binding (default: all)
//   --peers LIST   pool ids to run (e.g. corepin-thread,piscina); python-mp for Python (default: all)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchConfig } from './BenchConfig.js';
import type { BenchResults, PeerInfo } from './BenchResults.js';
import { formatMachineLine, machineInfo } from './measure/machineInfo.js';
import { ResultBook } from './measure/ResultBook.js';
import { dropSlowStartEnv } from './measure/dropSlowStartEnv.js';
import { corepinPeer } from './peers/corepinPeer.js';
import type { Peer } from './peers/Peer.js';
import { piscinaPeer } from './peers/piscinaPeer.js';
import { poolifierPeer } from './peers/poolifierPeer.js';
import { pythonPeer } from './peers/pythonPeer.js';
import { tinypoolPeer } from './peers/tinypoolPeer.js';
import { workerpoolPeer } from './peers/workerpoolPeer.js';
import { cachePhase } from './phases/cachePhase.js';
import type { PhaseContext } from './phases/PhaseContext.js';
import { recyclePhase } from './phases/recyclePhase.js';
import { startupPhase } from './phases/startupPhase.js';
import { throughputPhase } from './phases/throughputPhase.js';
import { runPinBench, type PinResult } from './pinBench.js';
import { formatQueueBench, runQueueBench } from './queueBench.js';
import { bindingBench, formatBindingBench } from './bindingBench.js';
import { evaluateGoals } from './report/evaluateGoals.js';
import { formatBenchmarksMd } from './report/formatBenchmarksMd.js';
import { formatCacheTable } from './report/formatCacheTable.js';
import { formatMainTable } from './report/formatMainTable.js';
import { formatPinTable } from './report/formatPinTable.js';
import { renderChart } from './report/renderChart.js';
import { renderSweepChart } from './report/renderSweepChart.js';
import { formatSweepTable } from './report/formatSweepTable.js';
import { describeLoad, startLoadSampler } from './measure/loadSampler.js';
import { FLOORS, floorPhase } from './phases/floorPhase.js';
import type { SweepResult } from './sweeps/SweepBook.js';
import { payloadSweep } from './sweeps/payloadSweep.js';
import { durationSweep } from './sweeps/durationSweep.js';
import { workersSweep } from './sweeps/workersSweep.js';
import { tasksSweep } from './sweeps/tasksSweep.js';

const PHASES = ['throughput', 'startup', 'recycle', 'cache', 'pin', 'floors', 'payload', 'duration', 'workers', 'tasks', 'queue', 'binding'] as const;
const ALL_PEERS: readonly Peer[] = [
  corepinPeer('thread'),
  piscinaPeer,
  tinypoolPeer('thread'),
  workerpoolPeer('thread'),
  poolifierPeer('thread'),
  corepinPeer('process'),
  tinypoolPeer('process'),
  workerpoolPeer('process'),
  poolifierPeer('process'),
];
// From dist/bench/run.js the repository root is two levels up.
const ROOT = new URL('../../', import.meta.url);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      json: { type: 'string' },
      write: { type: 'boolean', default: false },
      only: { type: 'string' },
      peers: { type: 'string' },
    },
  });
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new Error(`--rounds ${values.rounds}: give a whole number of rounds, e.g. --rounds 5`);
  const only = values.only?.split(',') ?? [...PHASES];
  for (const p of only) if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--only ${p}: not a phase; use ${PHASES.join(',')}`);
  const wanted = values.peers?.split(',');
  const cfg = benchConfig(values.quick, rounds);
  const started = Date.now();
  const sampler = startLoadSampler();
  const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
  const notes: string[] = [];
  if (cfg.quick) notes.push('quick run: small sizes and few rounds; numbers are only indicative');
  const envNote = dropSlowStartEnv();
  if (envNote) notes.push(envNote);

  const py = wanted && !wanted.includes(pythonPeer.id) ? { version: null, why: 'Python not selected (--peers)' } : await pythonPeer.version();
  if (!py.version) notes.push(py.why);
  const machine = machineInfo(py.version);
  const machineLine = formatMachineLine(machine);
  console.log(machineLine);

  const peers: Peer[] = [];
  const infos: PeerInfo[] = [];
  for (const peer of ALL_PEERS) {
    if (wanted && !wanted.includes(peer.id)) continue;
    const why = await peer.unavailable();
    infos.push({ id: peer.id, label: peer.label, kind: peer.kind, skipped: why });
    if (why) notes.push(`${peer.label} skipped: ${why}`);
    else peers.push(peer);
  }
  if (!wanted || wanted.includes(pythonPeer.id)) infos.push({ id: pythonPeer.id, label: pythonPeer.label, kind: pythonPeer.kind, skipped: py.version ? null : py.why });

  const book = new ResultBook();
  const note = (line: string): void => {
    if (notes.includes(line)) return;
    notes.push(line);
    log(`note: ${line}`);
  };
  const ctx: PhaseContext = { cfg, peers, python: py.version !== null, book, log, notes, note };
  if (only.includes('throughput')) await throughputPhase(ctx);
  if (only.includes('startup')) await startupPhase(ctx);
  if (only.includes('recycle')) await recyclePhase(ctx);
  if (only.includes('cache')) await cachePhase(ctx);
  let pin: PinResult[] = [];
  if (only.includes('pin')) {
    log('pin cost: running');
    pin = runPinBench(cfg.quick);
  }
  if (only.includes('floors')) infos.push(...(await floorPhase(ctx)));
  // The node -e 0 and module rows are measured beside corepin by the recycling and start-up phases.
  else if (only.includes('recycle') || only.includes('startup')) infos.push(...FLOORS.filter((f) => f.id === 'floor-node-start' || f.id === 'floor-node-module').map(({ column: _c, ...info }) => info));
  const sweeps: SweepResult[] = [];
  if (only.includes('payload')) sweeps.push(await payloadSweep(ctx));
  if (only.includes('duration')) sweeps.push(await durationSweep(ctx));
  if (only.includes('tasks')) sweeps.push(await tasksSweep(ctx));
  if (only.includes('workers')) sweeps.push(await workersSweep(ctx));
  // Beyond one machine: BullMQ on Redis (bench/queueBench.ts; also runnable alone).
  const queueSection = only.includes('queue') ? formatQueueBench(await runQueueBench({ quick: cfg.quick, log })) : null;
  // Soft ('pool') vs hard ('slot') binding on the cache walk under a CPU hog (issue 15).
  const bindingSection = only.includes('binding') ? formatBindingBench(await bindingBench({ rounds: cfg.quick ? 2 : 3, quick: cfg.quick, log })) : null;
  const load = sampler.stop();
  notes.unshift(describeLoad(load));

  for (const s of book.all()) {
    if (s.errors.length > 0) notes.push(`${s.peer} ${s.workload}: ${s.errors.length} failed round(s): ${s.errors[0]}`);
  }
  const partial: BenchResults = {
    format: 'corepin-bench/2',
    date: new Date(started).toISOString(),
    machine,
    machineLine,
    config: cfg,
    seconds: (Date.now() - started) / 1000,
    peers: infos,
    series: book.all(),
    pin,
    load,
    sweeps,
    goals: [],
    notes,
  };
  const results: BenchResults = { ...partial, goals: evaluateGoals(partial) };

  printAndWrite(results, only.includes('cache'), queueSection, bindingSection, values, log);
}

/** Prints the tables, sweeps, load, goals and notes of a finished run; writes the JSON and the reports when asked. */
function printAndWrite(results: BenchResults, showCache: boolean, queueSection: string | null, bindingSection: string | null, out: { json?: string | undefined; write?: boolean | undefined }, log: (line: string) => void): void {
  const { config: cfg, pin, sweeps, load, notes } = results;
  console.log(`\nside by side: median of ${cfg.rounds} rounds; (n) = corepin of the same kind ÷ this pool, >1: corepin leads`);
  console.log(formatMainTable(results));
  if (showCache) console.log(`\ncache walk on a busy machine (one CPU hog)\n${formatCacheTable(results)}`);
  if (pin.length > 0) console.log(`\npin cost (median per call)\n${formatPinTable(pin)}`);
  if (queueSection !== null) console.log(`\nqueue (BullMQ on Redis)\n${queueSection}`);
  if (bindingSection !== null) console.log(`\n${bindingSection}`);
  for (const sw of sweeps) console.log(`\nsweep: ${sw.title}\n${formatSweepTable(sw)}`);
  console.log(`\n${describeLoad(load)}`);
  console.log('\ngoals');
  for (const g of results.goals) console.log(`  ${g.status.padEnd(7)} ${g.goal}: ${g.measured}`);
  if (notes.length > 0) console.log(`\nnotes\n${notes.map((n) => `  - ${n}`).join('\n')}`);
  console.log(`\n${results.seconds.toFixed(0)} s in all`);
  if (out.json) {
    writeFileSync(out.json, JSON.stringify(results, null, 2) + '\n');
    log(`wrote ${out.json}`);
  }
  if (out.write) {
    writeFileSync(fileURLToPath(new URL('bench/chart.svg', ROOT)), renderChart(results));
    for (const sw of sweeps) writeFileSync(fileURLToPath(new URL(`bench/sweep-${sw.id}.svg`, ROOT)), renderSweepChart(sw, results));
    const queueMd =
      (bindingSection === null ? '' : `\n## Soft vs hard binding (issue 15)\n\n${bindingSection}\n`) +
      (queueSection === null ? '' : `\n## Beyond one machine: BullMQ on Redis (issue 13)\n\n${queueSection}\n`);
    writeFileSync(fileURLToPath(new URL('BENCHMARKS.md', ROOT)), formatBenchmarksMd(results, 'bench/chart.svg') + queueMd);
    log(`wrote BENCHMARKS.md, bench/chart.svg and ${sweeps.length} sweep chart(s)`);
  }
}

// A promise that waits on nothing (no timer, socket or worker keeps the loop alive) would otherwise end
// the run with exit code 0 and no report: say so, and fail.
let finished = false;
process.once('beforeExit', () => {
  if (finished) return;
  process.stderr.write('bench: the event loop emptied before the run finished (a promise waited on nothing); no report written\n');
  process.exit(2);
});

main().then(
  // Some peers keep handles open after destroy(); every pool is closed by now, so leave explicitly.
  () => {
    finished = true;
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
