import type { CpuSet } from '../cpuset/CpuSet.js';

/**
 * A CPU list as util-linux taskset prints it: the kernel's compact list, except that a run of two
 * is written `a,b` (`0,1` where the kernel writes `0-1`), so corepin's output matches taskset's
 * byte for byte.
 */
export function formatTasksetList(set: CpuSet): string {
  return set
    .toList()
    .split(',')
    .map((part) => {
      const [a, b] = part.split('-');
      return b !== undefined && Number(b) === Number(a) + 1 ? `${a},${b}` : part;
    })
    .join(',');
}
