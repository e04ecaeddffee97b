import type { CpuSet } from '../cpuset/CpuSet.js';

/**
 * A CPU list as util-linux taskset prints it: runs of three or more as ranges, pairs as `a,b`
 * (`0,1` where the kernel writes `0-1`), so corepin's output matches taskset's byte for byte.
 */
export function formatTasksetList(set: CpuSet): string {
  const a = set.toArray();
  const parts: string[] = [];
  for (let i = 0; i < a.length; ) {
    let j = i;
    while (j + 1 < a.length && a[j + 1] === a[j]! + 1) j++;
    if (j === i) parts.push(`${a[i]}`);
    else if (j === i + 1) parts.push(`${a[i]},${a[j]}`);
    else parts.push(`${a[i]}-${a[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
