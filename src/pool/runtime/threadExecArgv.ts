import { defaultExecArgv } from './processRuntime.js';

let accepted: string[] | undefined;

/**
 * The node flags a thread worker gets: this process's flags minus those that make a script something
 * other than a worker (`--input-type`, `--eval`, `--test`, `--watch` …, as for process workers) and
 * minus those a Worker refuses (V8 and per-process options such as `--expose-gc` or
 * `--max-old-space-size`, which already apply to the whole process). Decided at the first worker
 * start (see {@link startThreadWorker}) and remembered.
 */
export function threadExecArgv(): string[] {
  return (accepted ??= defaultExecArgv());
}

/**
 * Runs `create(execArgv)`; when node refuses some of the flags (ERR_WORKER_INVALID_EXEC_ARGV, thrown
 * before any thread exists), drops the ones it names — or all, if it names none — and tries once more.
 */
export function startThreadWorker<T>(create: (execArgv: string[]) => T): T {
  const first = threadExecArgv();
  try {
    return create(first);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    const named = /flags: (.*)$/.exec((err as Error).message)?.[1]?.split(', ') ?? [];
    const refused = new Set(named);
    accepted = named.length === 0 ? [] : first.filter((f) => !refused.has(f));
    return create(accepted);
  }
}
