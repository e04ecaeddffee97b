/** Ctrl-C or SIGTERM caught for the length of a run. */
export interface Interrupt {
  /** Whether SIGINT or SIGTERM arrived since {@link catchInterrupt}. */
  readonly interrupted: boolean;
  /** Stops catching (Node's default, dying at once, comes back). Call it in a `finally`; idempotent. */
  release(): void;
}

/**
 * The interrupt handling of a run (`map`, `exec`): the first SIGINT and the first SIGTERM call
 * `onInterrupt` (terminate the pool, abort the jobs) instead of killing corepin at once, so the run
 * can end cleanly — every line written so far complete, the summary printed — and exit with
 * `ExitCode.INTERRUPTED` (130) when `interrupted` is set. Each signal is caught once: a second
 * Ctrl-C kills corepin as usual.
 */
export function catchInterrupt(onInterrupt: () => void): Interrupt {
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    onInterrupt();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    get interrupted() {
      return interrupted;
    },
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
