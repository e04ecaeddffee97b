/**
 * corepin's exit codes, the same for every command (documented in the README):
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
