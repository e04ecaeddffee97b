import { LineProgress } from './LineProgress.js';
import type { Progress, ProgressOptions } from './Progress.js';
import { TtyProgress } from './TtyProgress.js';

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
