import cliProgress from 'cli-progress';
import type { Progress, ProgressOptions } from './Progress.js';
import { ProgressCounter, formatRate, formatSeconds } from './ProgressCounter.js';

/**
 * A bar on a terminal (stderr), drawn by `cli-progress`: done/total, rate, ETA and failures; without
 * a known total, a counter line instead of a bar. The line stays on screen after `stop()`.
 */
export class TtyProgress implements Progress {
  readonly #bar: cliProgress.SingleBar;
  readonly #counter: ProgressCounter;
  readonly #label: string;
  readonly #stream: NodeJS.WriteStream;
  #stopped = false;

  constructor(options: ProgressOptions, stream: NodeJS.WriteStream = process.stderr) {
    this.#counter = new ProgressCounter(options.total);
    this.#label = options.label;
    this.#stream = stream;
    this.#bar = new cliProgress.SingleBar(
      {
        stream,
        format: () => this.#line(),
        hideCursor: true,
        clearOnComplete: false,
        // cli-progress renders on a timer; an idle pool must still see its ETA move.
        fps: 5,
        barsize: 24,
        // Redraw on every frame, so a bar cleared for a job's output comes back at once.
        forceRedraw: true,
        barCompleteChar: '#',
        barIncompleteChar: '-',
      },
      cliProgress.Presets.legacy,
    );
    this.#bar.start(options.total ?? 0, 0);
  }

  tick(ok: boolean): void {
    this.#counter.tick(ok);
    this.#bar.update(this.#counter.done);
  }

  setTotal(total: number): void {
    this.#counter.total = total;
    this.#bar.setTotal(total);
  }

  print(write: () => void): void {
    if (this.#stopped) return write();
    this.#stream.write('\r\x1b[2K');
    write();
    this.#bar.render();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#bar.update(this.#counter.done);
    // cli-progress restores the cursor position it saved at start(); job output printed since has
    // scrolled the screen, so save the bar's current position for it to restore instead.
    // Off a terminal cli-progress draws nothing, so there is no position to save either.
    if (this.#stream.isTTY) this.#stream.write('\x1b7');
    this.#bar.stop();
  }

  #line(): string {
    const c = this.#counter;
    const failed = c.failed > 0 ? ` | ${c.failed} failed` : '';
    if (c.total === undefined) return `${this.#label} ${c.done} done | ${formatRate(c.rate)} | ${formatSeconds(c.elapsed)}${failed}`;
    const width = 24;
    const filled = c.total === 0 ? width : Math.min(width, Math.floor((c.done / c.total) * width));
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const eta = c.done >= c.total ? `in ${formatSeconds(c.elapsed)}` : `ETA ${formatSeconds(c.eta)}`;
    return `${this.#label} ${bar} ${c.done}/${c.total} | ${formatRate(c.rate)} | ${eta}${failed}`;
  }
}
