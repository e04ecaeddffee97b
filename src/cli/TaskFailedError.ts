import { CorepinError } from '../errors.js';

/** A task of `corepin map` threw (or its worker died) and `--keep-going` was not given. */
export class TaskFailedError extends CorepinError {
  /** 1-based input line of the failed task (the first line of its chunk). */
  readonly line: number | null;
  constructor(line: number | null, error: unknown) {
    const e = error as { name?: unknown; message?: unknown };
    const what = error instanceof Error || (typeof e === 'object' && e !== null) ? `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}` : String(error);
    super(
      'ERR_TASK_FAILED',
      `the task for input line ${line ?? '?'} failed: ${what.split('\n')[0]}; fix the input or the function, or use --keep-going to write error records and go on`,
      { cause: error },
    );
    this.line = line;
  }
}
