import type { Progress, ProgressOptions } from './Progress.js';
import { ProgressCounter, formatRate, formatSeconds } from './ProgressCounter.js';

/**
 * Progress for logs and pipes: one plain line every `everyMs` while work is going on (none when
 * nothing changed); no control characters. The caller prints the summary at the end.
 */
export class LineProgress implements Progress {
  readonly #counter: ProgressCounter;
  readonly #options: ProgressOptions;
  readonly #write: (line: string) => void;
  readonly #timer: NodeJS.Timeout;
  #lastDone = -1;
  #stopped = false;

  constructor(options: ProgressOptions, write: (line: string) => void = (l) => process.stderr.write(l), everyMs = 2000) {
    this.#options = options;
    this.#counter = new ProgressCounter(options.total);
    this.#write = write;
    this.#timer = setInterval(() => this.#report(), everyMs);
    // A progress line must never keep a finished run alive.
    this.#timer.unref();
  }

  tick(ok: boolean): void {
    this.#counter.tick(ok);
  }

  setTotal(total: number): void {
    this.#counter.total = total;
  }

  print(write: () => void): void {
    write();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  #report(): void {
    const c = this.#counter;
    if (c.done === this.#lastDone) return;
    this.#lastDone = c.done;
    const unit = this.#options.unit ?? 'tasks';
    const of = c.total === undefined ? '' : `/${c.total}`;
    const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
    const tail = c.total === undefined ? '' : `ETA ${formatSeconds(c.eta)}`;
    this.#write(`${this.#options.label}: ${c.done}${of} ${unit} done${failed}, ${formatRate(c.rate)}${tail ? `, ${tail}` : ''}\n`);
  }
}
