import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputFileError } from './InputFileError.js';

/**
 * Lines of a file, or of stdin for `-`, lazily (constant memory for any size), with their 1-based
 * line numbers. Line ends (`\n`, `\r\n`) are removed.
 *
 * @throws {InputFileError} when the file cannot be opened.
 */
export async function* readInputLines(file: string): AsyncGenerator<{ line: string; number: number }> {
  const stream = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) => reject(new InputFileError(file, err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message)));
  });
  await opened;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  for await (const line of rl) yield { line, number: ++number };
}
