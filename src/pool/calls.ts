import type { MapOptions } from './PoolOptions.js';
import { PoolOptionsError } from './errors.js';

// map/imap/starmap plumbing: argument forms, collecting inputs, joining chunk results.

/** `(fn, iterable, options)` or `(iterable, options)` with fn `'default'`. */
export function splitArgs(
  a: string | Iterable<unknown> | AsyncIterable<unknown>,
  b: Iterable<unknown> | AsyncIterable<unknown> | MapOptions | undefined,
  c: MapOptions | undefined,
): [string, Iterable<unknown> | AsyncIterable<unknown>, MapOptions | undefined] {
  if (typeof a === 'string') return [a, b as Iterable<unknown> | AsyncIterable<unknown>, c];
  return ['default', a, b as MapOptions | undefined];
}

/** Chunk results as one array; concat copies packed arrays wholesale. */
export function joinChunks(parts: unknown[][]): unknown[] {
  if (parts.length === 1) return parts[0]!;
  if (parts.length <= 4096) return ([] as unknown[]).concat(...parts);
  const out: unknown[] = [];
  for (const p of parts) for (const v of p) out.push(v);
  return out;
}

/** The inputs as an array (an array is used as is: map only reads it, chunk by chunk). */
export async function collect(iterable: Iterable<unknown> | AsyncIterable<unknown>, what: string): Promise<readonly unknown[]> {
  if (Array.isArray(iterable)) return iterable;
  if (iterable !== null && typeof iterable === 'object') {
    if (Symbol.asyncIterator in iterable) {
      const out: unknown[] = [];
      for await (const x of iterable) out.push(x);
      return out;
    }
    if (Symbol.iterator in iterable) return Array.from(iterable);
  }
  throw new PoolOptionsError(`${what}: the input must be an iterable or an async iterable`);
}
