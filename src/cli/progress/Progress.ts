import { LineProgress } from './LineProgress.js';
import { TtyProgress } from './TtyProgress.js';

/**
 * What a long run reports as it goes: `map`, `exec` and `demo` call these and do not care whether
 * a bar is drawn on a terminal or plain lines are written to a log.
 */
export interface Progress {
  /** One task or job finished; `ok: false` counts it as failed. */
  tick(ok: boolean): void;
  /** The total became known (or changed), e.g. after the input was counted. */
  setTotal(total: number): void;
  /**
   * Runs `write` (which prints a job's output) with the display out of its way: a bar is cleared
   * first and drawn again under the output.
   */
  print(write: () => void): void;
  /**
   * Ends the display: a bar is drawn in its final state and left on screen; plain lines stop (the
   * caller prints its own summary line). Idempotent.
   */
  stop(): void;
}

/** Options common to every progress display. */
export interface ProgressOptions {
  /** Shown in front of the bar or line, e.g. `map` or `pinned`. */
  readonly label: string;
  /** Number of tasks when known; omit when the input is a stream of unknown length. */
  readonly total?: number;
  /** Word for one unit of work in plain lines: `tasks` (default) or `jobs`. */
  readonly unit?: string;
}

/** How to show progress: a bar on a terminal, plain lines otherwise, or nothing. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/**
 * The progress display for a run: `auto` draws a bar when stderr is a terminal and writes plain
 * periodic lines when it is not (a log, a pipe, CI).
 */
export function createProgress(options: ProgressOptions, mode: ProgressMode = 'auto'): Progress {
  const m = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
  if (m === 'bar') return new TtyProgress(options);
  if (m === 'lines') return new LineProgress(options);
  return { tick() {}, setTotal() {}, print: (write) => write(), stop() {} };
}
