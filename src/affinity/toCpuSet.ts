import { CpuSet } from '../cpuset/CpuSet.js';
import type { CpuSetFormat } from '../cpuset/CpuSetFormat.js';
import { parseCpusCached } from './parseCpusCached.js';

/**
 * CPUs as a {@link CpuSet}, a list or mask string (`'0-3'`, `'0x3'`), or CPU numbers.
 *
 * @example
 * ```ts
 * import { pin, CpuSet, type CpusInput } from 'corepin';
 * const inputs: CpusInput[] = ['0-3', '0x3', [0, 2], CpuSet.of(1)];
 * pin('thread', inputs[0]!);
 * ```
 */
export type CpusInput = CpuSet | string | Iterable<number>;

/**
 * Turns any {@link CpusInput} into a CpuSet (`N` and `all` in a list: up to the last possible CPU).
 * A string is read as `format` says: `auto` (default; a list unless it looks like a mask), or
 * `list` / `mask` to read it as taskset's `-c` does or does not. @throws {CpuSetSyntaxError}
 *
 * @example
 * ```ts
 * import { toCpuSet } from 'corepin';
 * toCpuSet('0-3').size;          // 4
 * toCpuSet([5, 1]).toList();     // '1,5'
 * toCpuSet('0x5').toList();      // '0,2'
 * toCpuSet('5', 'mask').toList(); // '0,2' (taskset's mask argument)
 * ```
 */
export function toCpuSet(cpus: CpusInput, format: CpuSetFormat = 'auto'): CpuSet {
  if (cpus instanceof CpuSet) return cpus;
  if (typeof cpus === 'string') return parseCpusCached(cpus, format);
  return CpuSet.from(cpus);
}
