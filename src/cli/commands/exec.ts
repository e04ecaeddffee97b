import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { parseCount, addLaunchFlags, applyLaunchSched, launchSettingsOf, type LaunchFlags } from '../args.js';
import { countInputLines, readInputLines } from '../io/inputLines.js';
import { createProgress, type ProgressMode } from '../progress/Progress.js';
import { renderJobSummary } from '../render/renderJobSummary.js';
import { reportOfJobs } from '../report/reportOf.js';
import { runJobs } from '../run/runJobs.js';
import { catchInterrupt } from '../run/catchInterrupt.js';
import { saveBindingReport } from '../report/BindingReport.js';
import { CLI_POLICIES, parseCliPolicy, planSlots, type CliPolicy } from '../SlotPlan.js';
import { shellScript } from '../run/shellScript.js';
import { SlotSettings } from '../../launch/SlotSettings.js';

interface ExecOptions extends LaunchFlags {
  jobs?: number;
  policy?: CliPolicy;
  cpus?: string;
  isolated?: boolean;
  shell?: boolean;
  input: string;
  keepOrder?: boolean;
  report?: string | true;
  progress: ProgressMode;
}

/** `corepin exec -j N -- COMMAND ARGS… {}`: xargs -P / GNU parallel with every job slot pinned. */
export function command(): Command {
  return addLaunchFlags(new Command('exec'))
    .description('run a command once per input line, N at a time, each job slot pinned to its own CPUs')
    .argument('<command...>', 'command and arguments; {} is replaced by the input line (appended when absent)')
    .option('-j, --jobs <n>', 'job slots (default: one per CPU place the policy finds)', parseCount)
    .addOption(new Option('--policy <name>', `placement of the slots: ${CLI_POLICIES.join(', ')}`).argParser(parseCliPolicy))
    .option('--cpus <location>', 'use only these CPUs: a list (0-3) or a location (core:0-1, numa:0)')
    .option('--isolated', 'place on isolated CPUs only (isolcpus, nohz_full), one CPU per job slot')
    .option('-a, --input <file>', 'read input lines from a file instead of stdin ("-")', '-')
    .option('-k, --keep-order', 'print outputs in input order (default: as jobs finish)')
    .option('--shell', 'run the command as one /bin/sh -c script (the only use of a shell); the input line is "$1", {} is rewritten to it')
    .option('--report [file]', 'after the run, the binding report on stderr, or saved as JSON to FILE')
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Each job slot gets its CPUs once from the placement (--policy, default spread); every job run in
that slot -- the process and every thread it starts -- is inside those CPUs for its whole life.
Each job sees COREPIN_SLOT, COREPIN_JOB and COREPIN_CPUS in its environment. Output of a job is
written in one piece when it ends. Input is read as jobs start (a slow producer's lines run as they
come); empty lines are skipped.
Exit status: 0 all jobs succeeded, 3 some failed, 127/126 the command cannot be run.

Examples:
  ls *.flac | corepin exec -j 2 -- flac --best {}
  seq 100 | corepin exec --policy cores -k -- python3 work.py --n {}
  corepin exec -a urls.txt --shell -- 'curl -s "$1" | sha256sum'

With --shell the input line is never part of the script text: it is passed as "$1" (sh -c SCRIPT
corepin-exec LINE). {} is rewritten to "$1" where that is provably safe; otherwise the script is
refused and you write "$1" yourself. Nothing is appended to a --shell script.`,
    )
    .action(async (template: string[], opts: ExecOptions) => {
      if (template.length === 0) throw new UsageError('give a command to run, e.g. corepin exec -j 2 -- gzip -k {}');
      // Refuse a --shell template whose {} cannot be rewritten safely before any input is read.
      if (opts.shell) shellScript(template);
      if (!opts.shell && template[0] === '') throw new UsageError('the command to run is empty (""); give a command, e.g. corepin exec -j 2 -- gzip -k {}');
      const plan = planSlots({ ...(opts.jobs ? { jobs: opts.jobs } : {}), ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.cpus !== undefined ? { cpus: opts.cpus } : {}), ...(opts.isolated ? { isolated: true } : {}) });
      const settings = new SlotSettings(launchSettingsOf(opts), () => plan.topology);
      applyLaunchSched(settings.settings);
      const lines = readInputLines(opts.input);
      // Open the input (and fail on a bad path) before any job starts.
      const first = await lines.next();
      const progress = createProgress({ label: 'exec', unit: 'jobs' }, opts.progress);
      let total = 0;
      async function* inputs(): AsyncGenerator<string> {
        for (let step = first; !step.done; step = await lines.next()) {
          if (step.value.line === '') continue;
          total++;
          yield step.value.line;
        }
        progress.setTotal(total);
      }
      void countInputLines(opts.input).then((n) => n !== null && progress.setTotal(n));
      const abort = new AbortController();
      const interrupt = catchInterrupt(() => abort.abort());
      const started = performance.now();
      let results;
      try {
        results = await runJobs({ template, inputs: inputs(), slots: plan.slots, shell: opts.shell === true, keepOrder: opts.keepOrder === true, progress, signal: abort.signal, settings });
      } finally {
        progress.stop();
        interrupt.release();
      }
      const cannot = results.find((r) => r.spawnError === 'ENOENT' || r.spawnError === 'EACCES');
      if (cannot) {
        // Every job would fail alike: one line, as a shell or taskset says it.
        const what = opts.shell ? '/bin/sh' : /[\x00-\x1f\x7f]/.test(template[0]!) ? JSON.stringify(template[0]) : template[0];
        process.stderr.write(`corepin: failed to execute ${what}: ${cannot.spawnError === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}\n`);
        process.exitCode = cannot.spawnError === 'ENOENT' ? ExitCode.NOT_FOUND : ExitCode.NOT_EXECUTABLE;
        return;
      }
      process.stderr.write(renderJobSummary(results, total, (performance.now() - started) / 1000));
      if (opts.report !== undefined) saveBindingReport(reportOfJobs(template, plan, results, settings), opts.report);
      if (interrupt.interrupted) process.exitCode = ExitCode.INTERRUPTED;
      else process.exitCode = results.some((r) => r.code !== 0) ? ExitCode.PARTIAL : ExitCode.OK;
    });
}
