import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { InputFileError, InputLineError } from '../errors.js';
import { readInputLines } from './inputLines.js';

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
