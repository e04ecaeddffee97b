import { Command, Option } from 'commander';
import { Pool } from '../../pool/Pool.js';
import { countInputLines } from '../io/inputLines.js';
import { ExitCode, UsageError, asCorepinError } from '../errors.js';
import { JsonLinesWriter, readJsonLines } from '../io/jsonLines.js';
import { parseCount } from '../args.js';
import { createProgress, type ProgressMode } from '../progress/Progress.js';
import { formatRate } from '../progress/ProgressCounter.js';
import { reportOfPool } from '../report/reportOf.js';
import { runMap, whenPoolReady } from '../run/runMap.js';
import { catchInterrupt } from '../run/catchInterrupt.js';
import { saveBindingReport } from '../report/BindingReport.js';
import { CLI_POLICIES, parseCliPolicy, poolOfFlags, type CliPolicy } from '../SlotPlan.js';
import { readTopology } from '../../topology/readTopology.js';

interface MapOptions {
  fn: string;
  jobs?: number;
  policy?: CliPolicy;
  cpus?: string;
  isolated?: boolean;
  kind: 'process' | 'thread';
  chunksize?: number;
  maxTasksPerChild?: number;
  input: string;
  output: string;
  unordered?: boolean;
  keepGoing?: boolean;
  report?: string | true;
  progress: ProgressMode;
  queue?: string;
  redis?: string;
}

/** `corepin map MODULE`: JSON Lines in, one call of an export per line on a pinned pool, JSON Lines out. */
export function command(): Command {
  return new Command('map')
    .description('call an export of MODULE on every JSON line of the input, on a pool of pinned workers; JSON lines out')
    .argument('<module>', 'task module (.js/.mjs/.cjs): a path, or a file: URL')
    .option('--fn <name>', 'the export to call with each input value', 'default')
    .option('-j, --jobs <n>', 'workers (default: one per CPU place the policy finds)', parseCount)
    .addOption(new Option('--policy <name>', `placement of the workers: ${CLI_POLICIES.join(', ')}`).argParser(parseCliPolicy))
    .option('--cpus <location>', 'use only these CPUs: a list (0-3) or a location (core:0-1, numa:0)')
    .option('--isolated', 'place on isolated CPUs only (isolcpus, nohz_full), one CPU per worker')
    .addOption(new Option('--kind <kind>', 'worker kind').choices(['process', 'thread']).default('process'))
    .option('--chunksize <k>', 'inputs per task, with --queue per BullMQ job (a failing task fails its chunk, as in Python)', parseCount)
    .option('--max-tasks-per-child <n>', 'replace a worker after N tasks (it stays on its slot\'s CPUs)', parseCount)
    .option('-i, --input <file>', 'JSON Lines input ("-" = stdin)', '-')
    .option('-o, --output <file>', 'JSON Lines output ("-" = stdout)', '-')
    .option('--unordered', 'write results as they finish instead of in input order')
    .option('--keep-going', 'write {"line","error"} records for failed inputs and go on (exit 3 if any)')
    .option('--report [file]', 'after the run, the binding report on stderr, or saved as JSON to FILE')
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .option('--queue <name>', 'run every input as a BullMQ job on the hosts serving this queue (corepin worker)')
    .option('--redis <url>', 'with --queue: Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379)')
    .addHelpText(
      'after',
      `
Each input line is one JSON value v; the output line is the JSON of await fn(v), in input order
(or as finished with --unordered). Blank lines are skipped. A failed task or a malformed line stops
the run (exit 1) after the results before it; with --keep-going it becomes a record
{"line": N, "error": {"name", "message", "code"?}} and the run exits 3.

Example task module, hash.mjs:
  import { createHash } from 'node:crypto';
  export default (s) => createHash('sha256').update(String(s)).digest('hex');

Examples:
  seq 1000 | corepin map hash.mjs > hashes.jsonl
  corepin map ./score.mjs --fn score -j 4 --policy cores -i items.jsonl -o scores.jsonl --report
  corepin map task.mjs --kind thread --chunksize 100 --unordered --keep-going < in.jsonl
  corepin map hash.mjs --queue hash --redis redis://10.0.0.5:6379 < in.jsonl   (hosts: corepin worker)`,
    )
    .action(mapAction);
}

/** The run of `corepin map` (without `--queue`: with it, the queue's own run). */
async function mapAction(module: string, opts: MapOptions): Promise<void> {
  if (opts.queue !== undefined) {
    await (await import('../run/mapOnQueue.js')).mapOnQueue(module, { ...opts, queue: opts.queue });
    return;
  }
  if (opts.redis !== undefined) throw new UsageError('--redis needs --queue NAME');
  if (opts.unordered && opts.chunksize !== undefined && opts.chunksize > 1) {
    throw new UsageError('--chunksize applies to ordered output; with --unordered each input is its own task (drop one of them)');
  }
  // The flags become one request; the pool resolves it (and again on a cpuset change, by the same policy).
  const topology = readTopology();
  const { options, request } = poolOfFlags(module, opts, topology);
  const pool = new Pool(options);
  const interrupt = catchInterrupt(() => void pool.terminate());
  let writer: JsonLinesWriter | undefined;
  const progress = createProgress({ label: 'map', unit: 'tasks' }, opts.progress);
  try {
    await whenPoolReady(pool);
    writer = await JsonLinesWriter.open(opts.output, (write) => progress.print(write));
    void countInputLines(opts.input).then((n) => n !== null && progress.setTotal(n));
    const started = performance.now();
    const summary = await runMap({
      pool,
      fn: opts.fn,
      inputs: readJsonLines(opts.input),
      writer,
      progress,
      chunksize: opts.chunksize ?? 1,
      unordered: opts.unordered === true,
      keepGoing: opts.keepGoing === true,
      window: Math.max(2, 2 * pool.size),
    });
    progress.stop();
    // Flush before the summary: a run whose results did not reach the disk must not say "ok".
    await writer.close();
    const seconds = (performance.now() - started) / 1000;
    const done = summary.ok + summary.failed + summary.malformed;
    process.stderr.write(
      `corepin map: ${done} input${done === 1 ? '' : 's'} in ${seconds.toFixed(1)}s (${formatRate(done / Math.max(seconds, 1e-9))}) on ${pool.size} ${opts.kind} worker${pool.size === 1 ? '' : 's'}: ` +
        `${summary.ok} ok, ${summary.failed} failed${summary.malformed > 0 ? `, ${summary.malformed} malformed` : ''}\n`,
    );
    // A worker recycled by --max-tasks-per-child may still be starting: report the settled pool.
    if (opts.report !== undefined) await whenPoolReady(pool);
    if (opts.report !== undefined) saveBindingReport(reportOfPool(`map ${module} (${opts.kind} workers, ${request.policy === 'none' ? 'unpinned' : request.policy})`, pool.bindings(), pool.placement.usable), opts.report);
    process.exitCode = summary.failed + summary.malformed > 0 ? ExitCode.PARTIAL : ExitCode.OK;
  } catch (err) {
    if (interrupt.interrupted) {
      progress.stop();
      process.stderr.write('corepin map: interrupted; the results written so far are complete lines, in input order unless --unordered\n');
      process.exitCode = ExitCode.INTERRUPTED;
      return;
    }
    throw asCorepinError(err);
  } finally {
    progress.stop();
    interrupt.release();
    await writer?.close().catch(() => undefined); // its failure, if any, is the error thrown above
    await pool.terminate();
  }
}
