import { createReadStream, statSync } from 'node:fs';

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
