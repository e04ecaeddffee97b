import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CorepinError } from '../../errors.js';
import { defaultRedisUrl } from '../../queue/redisConnection.js';
import type { SubmitResult } from '../../queue/submit.js';
import { countInputLines } from '../io/inputLines.js';
import { ExitCode, UsageError } from '../errors.js';
import { JsonLinesWriter, readJsonLines } from '../io/jsonLines.js';
import { createProgress, type ProgressMode } from '../progress/Progress.js';
import { formatRate } from '../progress/ProgressCounter.js';
import { runMap, type MapPool } from './runMap.js';

/** The `corepin map` options that matter with `--queue`. */
export interface MapOnQueueOptions {
  queue: string;
  redis?: string;
  fn: string;
  input: string;
  output: string;
  keepGoing?: boolean;
  progress: ProgressMode;
  /** Inputs per BullMQ job (the job then succeeds, fails and is retried as a whole). */
  chunksize?: number;
  /** Host-side options: refused with --queue (they belong to `corepin worker`). */
  jobs?: number;
  policy?: string;
  cpus?: string;
  kind: string;
  maxTasksPerChild?: number;
  unordered?: boolean;
  report?: string | true;
}

/**
 * `corepin map MODULE --queue NAME`: the same JSON Lines in / out as a local `map` (input order,
 * progress, `--keep-going`), but every input is a BullMQ job run by whatever hosts serve the queue.
 * Jobs carry `--fn` as their name and MODULE's file name, so a host serving another module fails them.
 * `--chunksize K` puts K inputs in each job (as a local map puts K in each task): a failing input fails
 * its chunk's inputs, and a chunk runs again as a whole when its host dies.
 */
export async function mapOnQueue(module: string, opts: MapOnQueueOptions): Promise<void> {
  const hostSide: [string, boolean][] = [
    ['-j', opts.jobs !== undefined],
    ['--policy', opts.policy !== undefined],
    ['--cpus', opts.cpus !== undefined],
    ['--kind', opts.kind !== 'process'],
    ['--max-tasks-per-child', opts.maxTasksPerChild !== undefined],
    ['--report', opts.report !== undefined],
  ];
  const misplaced = hostSide.filter(([, given]) => given).map(([flag]) => flag);
  if (misplaced.length > 0) throw new UsageError(`${misplaced.join(', ')} ${misplaced.length === 1 ? 'applies' : 'apply'} to the hosts with --queue: give ${misplaced.length === 1 ? 'it' : 'them'} to \`corepin worker\` instead`);
  if (opts.unordered) throw new UsageError('--unordered is not available with --queue: results come back in input order');
  const url = opts.redis ?? defaultRedisUrl();
  const moduleName = basename(module.startsWith('file:') ? fileURLToPath(module) : resolve(module));
  const { submit } = await import('../../queue/submit.js');
  let results: AsyncIterableIterator<SubmitResult> | null = null;
  const pool: MapPool = {
    imap(fn, inputs) {
      results = submit(opts.queue, fn, inputs, { connection: url, wait: true, module: moduleName, chunksize: opts.chunksize ?? 1 });
      const source = results;
      return {
        async next(): Promise<IteratorResult<unknown>> {
          const step = await source.next();
          if (step.done) return { done: true, value: undefined };
          if (step.value instanceof CorepinError) throw step.value;
          return { done: false, value: step.value.value };
        },
      };
    },
    apply() {
      return Promise.reject(new UsageError('--unordered is not available with --queue'));
    },
  };
  const progress = createProgress({ label: 'map', unit: 'jobs' }, opts.progress);
  let writer: JsonLinesWriter | undefined;
  const hold = setInterval(() => {}, 1 << 30);
  try {
    writer = await JsonLinesWriter.open(opts.output, (write) => progress.print(write));
    void countInputLines(opts.input).then((n) => n !== null && progress.setTotal(n));
    const started = performance.now();
    const summary = await runMap({ pool, fn: opts.fn, inputs: readJsonLines(opts.input), writer, progress, chunksize: 1, unordered: false, keepGoing: opts.keepGoing === true, window: 1 });
    progress.stop();
    await writer.close(); // a run whose results did not reach the disk must not say "ok"
    const seconds = (performance.now() - started) / 1000;
    const done = summary.ok + summary.failed + summary.malformed;
    process.stderr.write(
      `corepin map: ${done} input${done === 1 ? '' : 's'} in ${seconds.toFixed(1)}s (${formatRate(done / Math.max(seconds, 1e-9))}) on queue ${JSON.stringify(opts.queue)}: ` +
        `${summary.ok} ok, ${summary.failed} failed${summary.malformed > 0 ? `, ${summary.malformed} malformed` : ''}\n`,
    );
    process.exitCode = summary.failed + summary.malformed > 0 ? ExitCode.PARTIAL : ExitCode.OK;
  } finally {
    clearInterval(hold);
    progress.stop();
    await writer?.close().catch(() => undefined); // its failure, if any, is the error thrown above
    await (results as AsyncIterableIterator<SubmitResult> | null)?.return?.();
    // Everything is closed; should a connection linger, it must not keep a finished run alive.
    setTimeout(() => process.exit(), 3000).unref();
  }
}
