import { CorepinError, isErrorCode } from '../CorepinError.js';

/**
 * corepin's exit codes, the same for every command (documented in the README and docs/errors.md):
 * taskset's own are kept where corepin stands in for it.
 */
export const ExitCode = {
  /** Everything worked. */
  OK: 0,
  /** An error the user can fix (bad CPU list, no such process, missing module …): one line on stderr. */
  FAILURE: 1,
  /** The command line itself is wrong (unknown option, missing argument). */
  USAGE: 2,
  /** The run finished but some tasks or jobs failed (`map --keep-going`, `exec`). */
  PARTIAL: 3,
  /** The command to launch exists but cannot be executed (as in shells and taskset). */
  NOT_EXECUTABLE: 126,
  /** The command to launch was not found (as in shells and taskset). */
  NOT_FOUND: 127,
  /** Stopped by Ctrl-C or SIGTERM before the run finished (`exec`, `map`): 128 + SIGINT, as shells report it. */
  INTERRUPTED: 130,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The codes of the CLI's own errors (the library's are in src/errors.ts and the layers' error files). */
export type CliErrorCode = 'ERR_USAGE' | 'ERR_INPUT_FILE' | 'ERR_OUTPUT_WRITE' | 'ERR_INPUT_LINE' | 'ERR_REPORT_FILE' | 'ERR_TASK_FAILED';

/** The command line is wrong; the CLI prints the message and exits with code 2. */
export class UsageError extends CorepinError<'ERR_USAGE'> {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

/** An input or output file named on the command line cannot be opened (exit 1). */
export class InputFileError extends CorepinError<'ERR_INPUT_FILE'> {
  constructor(
    /** The file named. */
    readonly file: string,
    why: string,
  ) {
    super('ERR_INPUT_FILE', `cannot open ${file}: ${why}; check the path given to --input/--output`);
  }
}

/**
 * Results could not be written to the output (a full disk, a quota, an I/O error): the run stops
 * with exit 1, because results that cannot be saved are lost; `written` says how many were saved.
 */
export class OutputWriteError extends CorepinError<'ERR_OUTPUT_WRITE'> {
  constructor(
    /** The file written to, or `stdout`. */
    readonly target: string,
    /** The system's code, e.g. `ENOSPC`. */
    readonly reason: string,
    /** How many result lines were handed to the output before it failed. */
    readonly written: number,
    why: string,
  ) {
    super('ERR_OUTPUT_WRITE', `cannot write results to ${target}: ${why} (${reason}); free space or give another --output`);
  }
}

/** A line of JSON Lines input is not valid JSON (exit 1; with `map --keep-going` an error record and exit 3). */
export class InputLineError extends CorepinError<'ERR_INPUT_LINE'> {
  constructor(
    /** Where the input came from (`stdin` or the file name). */
    readonly source: string,
    /** 1-based line number. */
    readonly line: number,
    why: string,
  ) {
    super('ERR_INPUT_LINE', `${source} line ${line} is not valid JSON (${why}); each line must be one JSON value, e.g. 42, "text" or {"n": 1}`);
  }
}

/** A file given to `corepin report` is missing or is not a report saved by `--report FILE` (exit 1). */
export class ReportFileError extends CorepinError<'ERR_REPORT_FILE'> {
  constructor(
    /** The file named. */
    readonly file: string,
    why: string,
  ) {
    super('ERR_REPORT_FILE', `cannot read report ${file}: ${why}; give a PID or a file written by \`corepin map|exec --report FILE\``);
  }
}

/** A task of `corepin map` threw (or its worker died) and `--keep-going` was not given (exit 1). */
export class TaskFailedError extends CorepinError<'ERR_TASK_FAILED'> {
  constructor(
    /** 1-based input line of the failed task (the first line of its chunk). */
    readonly line: number | null,
    error: unknown,
  ) {
    const e = error as { name?: unknown; message?: unknown };
    const what = error instanceof Error || (typeof e === 'object' && e !== null) ? `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}` : String(error);
    super(
      'ERR_TASK_FAILED',
      `the task for input line ${line ?? '?'} failed: ${what.split('\n')[0]}; fix the input or the function, or use --keep-going to write error records and go on`,
      { cause: error },
    );
  }
}

/**
 * The exit code for an error that ends a command: {@link UsageError} 2, any other `CorepinError`
 * (the library's and the CLI's) 1, anything unexpected 1. Commander's own usage errors are mapped
 * by `main` before this is asked.
 */
export function exitCodeOf(err: unknown): ExitCodeValue {
  return err instanceof UsageError ? ExitCode.USAGE : ExitCode.FAILURE;
}

/**
 * A corepin error that lost its class crossing a process or Redis boundary (a plain `Error` whose
 * `code` is one of corepin's) becomes a `CorepinError` again, with the same code, its first line as
 * the message and the original as `cause`, so the CLI prints it as one line. Anything else is
 * returned as it is: a foreign code (`ENOENT`, `ENOSPC`) is never relabelled as a corepin one, and
 * the CLI reports it as an unexpected error (one line, exit 1).
 */
export function asCorepinError(err: unknown): unknown {
  if (err instanceof CorepinError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return isErrorCode(code) ? new CorepinError(code, err.message.split('\n')[0]!, { cause: err }) : err;
}
