import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { InputFileError } from '../InputFileError.js';

/** Writes one JSON value per line to a file or stdout, waiting when the reader is slower (backpressure). */
export class JsonLinesWriter {
  readonly #out: NodeJS.WritableStream;
  readonly #file: WriteStream | null;
  readonly #around: (write: () => void) => void;

  private constructor(out: NodeJS.WritableStream, file: WriteStream | null, around: (write: () => void) => void) {
    this.#out = out;
    this.#file = file;
    this.#around = around;
  }

  /**
   * Opens `file` for writing, or stdout for `-`. When stdout is a terminal, each write goes through
   * `around` (a progress bar's `print`, so result lines and the bar do not overwrite each other).
   * @throws {InputFileError}
   */
  static async open(file: string, around: (write: () => void) => void = (w) => w()): Promise<JsonLinesWriter> {
    if (file === '-') return new JsonLinesWriter(process.stdout, null, process.stdout.isTTY ? around : (w) => w());
    const stream = createWriteStream(file);
    try {
      await once(stream, 'open');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputFileError(file, code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code));
    }
    return new JsonLinesWriter(stream, stream, (w) => w());
  }

  /**
   * One value as a JSON line; `undefined` (a function that returns nothing) becomes `null`.
   * @throws {TypeError} for values JSON cannot hold (BigInt, cycles).
   */
  static format(value: unknown): string {
    const text = JSON.stringify(value);
    return `${text === undefined ? 'null' : text}\n`;
  }

  /** Writes a line made by {@link JsonLinesWriter.format}. */
  async write(line: string): Promise<void> {
    let ok = true;
    this.#around(() => {
      ok = this.#out.write(line);
    });
    if (!ok) await once(this.#out, 'drain');
  }

  /** Flushes and closes a file (stdout stays open). */
  async close(): Promise<void> {
    if (this.#file === null) return;
    this.#file.end();
    await once(this.#file, 'close');
  }
}
