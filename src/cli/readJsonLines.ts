import { InputLineError } from './InputLineError.js';
import { readInputLines } from './io/inputLines.js';

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
