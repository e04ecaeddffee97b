import { InvalidArgumentError } from 'commander';

/** Reads a whole number ≥ 1 for options like `-j` and `--chunksize`; anything else is a usage error. */
export function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1_000_000) throw new InvalidArgumentError('give a whole number from 1 to 1000000');
  return Number(text);
}
