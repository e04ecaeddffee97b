import { Command, Option } from 'commander';
import { readTopology } from '../../topology/readTopology.js';
import { runDemoPhase } from '../demo/runDemoPhase.js';
import type { PrimeRange } from '../demo/demoTask.js';
import { parseCount } from '../args.js';
import type { ProgressMode } from '../progress/Progress.js';
import { renderBindingReport } from '../report/renderBindingReport.js';
import { renderDemoComparison } from '../render/renderDemoComparison.js';
import { renderPlanTable } from '../render/renderTable.js';
import { renderTopologyText } from '../render/TopologyText.js';
import { planSlots } from '../SlotPlan.js';

interface DemoOptions {
  tasks: number;
  kind: 'process' | 'thread';
  progress: ProgressMode;
}

/** Numbers per task: a few tens of milliseconds of trial division on a current core. */
const TASK_SIZE = 60_000;
/** Where the ranges start: large enough that every number costs real divisions. */
const FIRST = 100_000_000;

/** `corepin demo`: the topology, a plan, the same CPU-bound job on a pinned and an unpinned pool, compared. */
export function command(): Command {
  return new Command('demo')
    .description('show the machine, plan a pool, run a CPU-bound job pinned and unpinned, compare (what `npm start` runs)')
    .option('--tasks <n>', 'tasks per pool (each counts primes in 60,000 numbers)', parseCount, 200)
    .addOption(new Option('--kind <kind>', 'worker kind').choices(['process', 'thread']).default('process'))
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .addHelpText(
      'after',
      `
Needs no input and no configuration; takes well under a minute on a 2-CPU machine.
The same prime-counting tasks run first on a pool pinned with the spread policy, then on an
unpinned pool of the same size; then throughput, migrations per worker and both binding reports
are shown side by side.

Examples:
  corepin demo
  npm start
  corepin demo --tasks 50 --kind thread`,
    )
    .action(async (opts: DemoOptions) => {
      const out = (s: string): void => void process.stdout.write(s);
      const topology = readTopology();
      const planned = planSlots({}, topology);
      const workers = planned.slots.length;
      const ranges: PrimeRange[] = Array.from({ length: opts.tasks }, (_, i) => ({ from: FIRST + i * TASK_SIZE, to: FIRST + (i + 1) * TASK_SIZE }));

      out(`corepin demo: the same CPU-bound job on a pinned and on an unpinned pool\n\n`);
      out(`1. This machine (what placement sees)\n\n${renderTopologyText(topology, { width: Math.min(process.stdout.columns || 100, 100) })}\n`);
      out(`2. The plan: ${workers} ${opts.kind} worker${workers === 1 ? '' : 's'}, one per usable CPU place\n\n${renderPlanTable(planned.plan!)}\n`);
      out(
        `3. The job: count primes among ${(opts.tasks * TASK_SIZE).toLocaleString('en-US')} numbers (${opts.tasks} tasks), once on each pool\n\n`,
      );
      const common = { workers, kind: opts.kind, ranges, usable: planned.usable, progress: opts.progress, topology };
      // The pool gets the request the plan above was resolved from, not the planned list.
      const pinned = await runDemoPhase({ ...common, label: 'pinned  ', placement: planned.request });
      const unpinned = await runDemoPhase({ ...common, label: 'unpinned', placement: 'none' });
      out(`\n4. Side by side\n\n${renderDemoComparison({ ...pinned, label: `pinned (${planned.plan!.policy})` }, unpinned)}\n`);
      out(`5. Binding reports, read from /proc at the end of each run\n\n${renderBindingReport(pinned.report)}\n${renderBindingReport(unpinned.report)}`);
    });
}
