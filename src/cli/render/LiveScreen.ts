/**
 * Redraws a block of lines in place on a terminal (cursor home, each line cleared, the rest of the
 * screen cleared), hiding the cursor while live. On a non-terminal it writes each frame in full,
 * separated by a blank line, with no control characters.
 */
export class LiveScreen {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  #started = false;

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.#out = out;
    this.#tty = out.isTTY === true;
  }

  /** Rows available for drawing (24 when unknown). */
  get rows(): number {
    return this.#tty ? this.#out.rows || 24 : Number.POSITIVE_INFINITY;
  }

  /** Replaces what is on screen with `lines`. */
  draw(lines: readonly string[]): void {
    if (!this.#tty) {
      this.#out.write(`${this.#started ? '\n' : ''}${lines.join('\n')}\n`);
      this.#started = true;
      return;
    }
    const width = this.#out.columns || 80;
    // Lines longer than the terminal would wrap and push the frame down; cut them instead.
    const body = lines.map((l) => `${l.length > width ? l.slice(0, width - 1) : l}\x1b[K`).join('\n');
    this.#out.write(`${this.#started ? '' : '\x1b[?25l\x1b[2J'}\x1b[H${body}\n\x1b[J`);
    this.#started = true;
  }

  /** Leaves the last frame on screen, adds `line` under it, and shows the cursor again. */
  end(line?: string): void {
    if (this.#tty && this.#started) this.#out.write('\x1b[?25h');
    if (line !== undefined) this.#out.write(`${line}\n`);
  }
}
