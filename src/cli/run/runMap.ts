import type { Pool } from '../../pool/Pool.js';
import { JsonLinesWriter, type JsonLine } from '../io/jsonLines.js';
import type { Progress } from '../progress/Progress.js';
import { TaskFailedError } from '../errors.js';

/** The part of `Pool` that `corepin map` uses. */
export interface MapPool {
  imap(fn: string, inputs: AsyncIterable<unknown>, options: { chunksize: number }): AsyncIterator<unknown>;
  apply(fn: string, args: readonly unknown[]): Promise<unknown>;
}

/** What `runMap` needs. */
export interface RunMapOptions {
  readonly pool: MapPool;
  /** Export to call. */
  readonly fn: string;
  readonly inputs: AsyncIterable<JsonLine>;
  readonly writer: JsonLinesWriter;
  readonly progress: Progress;
  /** Inputs per task, ordered mode (a failing task fails its chunk, as in Python). */
  readonly chunksize: number;
  /** Results as they finish instead of in input order. */
  readonly unordered: boolean;
  /** Failed tasks and malformed lines become error records instead of stopping the run. */
  readonly keepGoing: boolean;
  /** Tasks in flight in unordered mode. */
  readonly window: number;
}

/** Counts of a `map` run. */
export interface MapSummary {
  ok: number;
  failed: number;
  malformed: number;
}

/** The record written for a failed input with `--keep-going`. */
export interface ErrorRecord {
  /** 1-based input line. */
  line: number;
  error: { name: string; message: string; code?: string };
}

/**
 * Streams JSON Lines inputs through the pool and writes one line per input: the result, or (with
 * `keepGoing`) an {@link ErrorRecord}. Ordered mode uses `imap`, so results come out in input order
 * and input is read only as fast as results are written; unordered mode keeps `window` tasks in
 * flight with `apply` and writes each result as it finishes. Every failure is pinned to its input
 * line number.
 *
 * @throws {TaskFailedError | InputLineError} without `keepGoing`, after writing every earlier result (ordered).
 */
export async function runMap(o: RunMapOptions): Promise<MapSummary> {
  return o.unordered ? unordered(o) : ordered(o);
}

async function ordered(o: RunMapOptions): Promise<MapSummary> {
  const summary: MapSummary = { ok: 0, failed: 0, malformed: 0 };
  // Line numbers of inputs handed to the pool, oldest first; malformed lines waiting for their turn.
  const fed: number[] = [];
  const malformed: { before: number; record: ErrorRecord }[] = [];
  let fedCount = 0;
  let consumed = 0;
  async function* values(): AsyncGenerator<unknown> {
    for await (const item of o.inputs) {
      if (item.error !== undefined) {
        // Without --keep-going the error surfaces after every earlier result (the pool's imap
        // rethrows an input error at its position).
        if (!o.keepGoing) throw item.error;
        malformed.push({ before: fedCount, record: errorRecord(item.line, item.error) });
        continue;
      }
      fed.push(item.line);
      fedCount++;
      yield item.value;
    }
  }
  const flushMalformed = async (upTo: number): Promise<void> => {
    while (malformed.length > 0 && malformed[0]!.before <= upTo) {
      await emitError(o, summary, malformed.shift()!.record, true);
    }
  };
  const it = o.pool.imap(o.fn, values(), { chunksize: o.chunksize });
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = await it.next();
    } catch (err) {
      if (isInputError(err)) throw err;
      if (isFatal(err)) throw err;
      // A failed chunk: every input of it (from here to the next multiple of chunksize) failed.
      const end = Math.min(consumed - (consumed % o.chunksize) + o.chunksize, fedCount);
      const first = fed[0] ?? null;
      if (!o.keepGoing) throw new TaskFailedError(first, err);
      for (; consumed < end; consumed++) {
        await flushMalformed(consumed);
        await emitError(o, summary, errorRecord(fed.shift()!, err), false);
      }
      continue;
    }
    if (step.done) break;
    await flushMalformed(consumed);
    await emitResult(o, summary, fed.shift()!, step.value);
    consumed++;
  }
  await flushMalformed(Number.POSITIVE_INFINITY);
  return summary;
}

async function unordered(o: RunMapOptions): Promise<MapSummary> {
  const summary: MapSummary = { ok: 0, failed: 0, malformed: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const item of o.inputs) {
    if (failure !== null) break;
    if (item.error !== undefined) {
      if (!o.keepGoing) {
        failure = item.error;
        break;
      }
      await emitError(o, summary, errorRecord(item.line, item.error), true);
      continue;
    }
    const p: Promise<void> = o.pool.apply(o.fn, [item.value]).then(
      (value) => emitResult(o, summary, item.line, value),
      async (err: unknown) => {
        if (isFatal(err) || !o.keepGoing) failure ??= isFatal(err) ? err : new TaskFailedError(item.line, err);
        else await emitError(o, summary, errorRecord(item.line, err), false);
      },
    );
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= o.window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  return summary;
}

async function emitResult(o: RunMapOptions, summary: MapSummary, line: number, value: unknown): Promise<void> {
  let text: string;
  try {
    text = JsonLinesWriter.format(value);
  } catch (err) {
    const why = new TypeError(`the result is not JSON (${(err as Error).message})`);
    if (!o.keepGoing) throw new TaskFailedError(line, why);
    return emitError(o, summary, errorRecord(line, why), false);
  }
  await o.writer.write(text);
  summary.ok++;
  o.progress.tick(true);
}

async function emitError(o: RunMapOptions, summary: MapSummary, record: ErrorRecord, malformed: boolean): Promise<void> {
  await o.writer.write(JsonLinesWriter.format(record));
  if (malformed) summary.malformed++;
  else summary.failed++;
  o.progress.tick(false);
}

function errorRecord(line: number, err: unknown): ErrorRecord {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as { name?: unknown; message?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? { code: e.code } : {};
  return { line, error: { name: typeof e.name === 'string' ? e.name : 'Error', message: String(e.message ?? ''), ...code } };
}

/** The input itself failed (unreadable file, malformed line): not a task's fault. */
function isInputError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_INPUT_LINE' || code === 'ERR_INPUT_FILE';
}

/** Errors that no input can fix: every later task would fail the same way, so the run stops. */
function isFatal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'ERR_POOL_EXPORT_NOT_FOUND' || code === 'ERR_WORKER_STARTUP' || code === 'ERR_POOL_TERMINATED' || code === 'ERR_POOL_MODULE_NOT_FOUND' ||
    code === 'ERR_REDIS_UNREACHABLE' || code === 'ERR_QUEUE_DEPENDENCY'
  );
}

/**
 * `pool.ready()`, holding the event loop open meanwhile: the pool unrefs idle workers, so a CLI that
 * only awaits `ready()` would otherwise exit before its workers are up.
 */
export async function whenPoolReady(pool: Pool): Promise<void> {
  const hold = setInterval(() => {}, 1 << 30);
  try {
    await pool.ready();
  } finally {
    clearInterval(hold);
  }
}
