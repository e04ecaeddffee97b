import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputFileError } from '../errors.js';

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
    stream.once('error', (err: NodeJS.ErrnoException) => reject(inputFileError(file, err)));
  });
  await opened;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  const lines = rl[Symbol.asyncIterator]();
  for (;;) {
    let step: IteratorResult<string>;
    try {
      step = await lines.next();
    } catch (err) {
      // A directory opens fine and fails on the first read (EISDIR): still the user's bad path.
      throw inputFileError(file, err as NodeJS.ErrnoException);
    }
    if (step.done) return;
    yield { line: step.value, number: ++number };
  }
}

function inputFileError(file: string, err: NodeJS.ErrnoException): InputFileError {
  const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
  return new InputFileError(file === '-' ? 'stdin' : file, why);
}

/**
 * Counts the non-blank lines of a regular file in one streaming pass (so a progress bar can show a
 * total while the same file is being processed); null for stdin, pipes and unreadable files.
 */
export async function countInputLines(file: string): Promise<number | null> {
  if (file === '-') return null;
  try {
    if (!statSync(file).isFile()) return null;
  } catch {
    return null;
  }
  let count = 0;
  let blank = true;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === 0x0a) {
          if (!blank) count++;
          blank = true;
        } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) blank = false;
      }
    }
  } catch {
    return null;
  }
  return blank ? count : count + 1;
}
