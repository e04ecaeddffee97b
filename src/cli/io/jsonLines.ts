import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { InputFileError, InputLineError, OutputWriteError } from '../errors.js';
import { readInputLines } from './inputLines.js';

/** Writes one JSON value per line to a file or stdout, waiting when the reader is slower (backpressure). */
export class JsonLinesWriter {
  readonly #out: NodeJS.WritableStream;
  readonly #file: WriteStream | null;
  readonly #around: (write: () => void) => void;
  readonly #target: string;
  #written = 0;
  #failure: OutputWriteError | null = null;
  #closed = false;

  private constructor(out: NodeJS.WritableStream, file: WriteStream | null, around: (write: () => void) => void, target: string) {
    this.#out = out;
    this.#file = file;
    this.#around = around;
    this.#target = target;
    // A failed write (a full disk) is reported by the next write or by close(), never as a crash.
    out.on('error', (err: NodeJS.ErrnoException) => void this.#fail(err));
  }

  /**
   * Opens `file` for writing, or stdout for `-`. When stdout is a terminal, each write goes through
   * `around` (a progress bar's `print`, so result lines and the bar do not overwrite each other).
   * @throws {InputFileError}
   */
  static async open(file: string, around: (write: () => void) => void = (w) => w()): Promise<JsonLinesWriter> {
    if (file === '-') return new JsonLinesWriter(process.stdout, null, process.stdout.isTTY ? around : (w) => w(), 'stdout');
    const stream = createWriteStream(file);
    try {
      await once(stream, 'open');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputFileError(file, code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code));
    }
    return new JsonLinesWriter(stream, stream, (w) => w(), file);
  }

  /**
   * One value as a JSON line; `undefined` (a function that returns nothing) becomes `null`.
   * @throws {TypeError} for values JSON cannot hold (BigInt, cycles).
   */
  static format(value: unknown): string {
    const text = JSON.stringify(value);
    return `${text === undefined ? 'null' : text}\n`;
  }

  /**
   * Writes a line made by {@link JsonLinesWriter.format}.
   * @throws {OutputWriteError} when the output failed (now or on an earlier write).
   */
  async write(line: string): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    let ok = true;
    try {
      this.#around(() => {
        ok = this.#out.write(line);
      });
    } catch (err) {
      // stdout redirected to a file writes synchronously and throws.
      throw this.#fail(err as NodeJS.ErrnoException);
    }
    this.#written += 1;
    if (!ok) await this.#settled('drain');
  }

  /**
   * Flushes and closes a file (stdout stays open). Safe to call twice.
   * @throws {OutputWriteError} when the output failed, so no run reports results it did not save.
   */
  async close(): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    if (this.#file === null || this.#closed) return;
    this.#closed = true;
    this.#file.end();
    await this.#settled('close');
    if (this.#failure !== null) throw this.#failure;
  }

  async #settled(event: string): Promise<void> {
    try {
      await once(this.#out, event);
    } catch (err) {
      throw this.#fail(err as NodeJS.ErrnoException);
    }
  }

  #fail(err: NodeJS.ErrnoException): OutputWriteError {
    if (this.#failure !== null) return this.#failure;
    const code = err.code ?? 'EIO';
    const why = err.message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
    this.#failure = new OutputWriteError(this.#target, code, this.#written, why);
    return this.#failure;
  }
}

/** One input of `corepin map`: its value, or why its line is not JSON. */
export type JsonLine = { readonly line: number; readonly value: unknown; readonly error?: undefined } | { readonly line: number; readonly error: InputLineError };

/**
 * Parses JSON Lines lazily, one value per non-blank line (blank lines are skipped but counted, so
 * line numbers match an editor's). A malformed line is yielded as an `error` entry naming its line
 * number, so the caller decides whether it stops the run or becomes an error record.
 *
 * @throws {InputFileError} when the file cannot be opened.
 */
export async function* readJsonLines(file: string): AsyncGenerator<JsonLine> {
  const source = file === '-' ? 'stdin' : file;
  for await (const { line, number } of readInputLines(file)) {
    if (line.trim() === '') continue;
    try {
      yield { line: number, value: JSON.parse(line) };
    } catch (err) {
      yield { line: number, error: new InputLineError(source, number, (err as Error).message) };
    }
  }
}
