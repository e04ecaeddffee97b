// CpuSet's list forms: the compact list (toList) and the abbreviated one console.log shows.

/** Longest list a CpuSet shows when inspected (console.log) before it abbreviates. */
const INSPECT_MAX = 120;

/**
 * Compact list form of ascending, unique CPUs, as `Cpus_allowed_list` shows it: `0-3,8,10-15`
 * (ranges, never strides; empty string when empty).
 */
export function formatCpuList(cpus: ArrayLike<number>): string {
  const parts: string[] = [];
  let i = 0;
  while (i < cpus.length) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j]! + 1) j++;
    parts.push(j === i ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** How a set of `size` CPUs with list form `list` is inspected: `CpuSet(0-3,8)`, cut after a comma when very long. */
export function inspectCpuList(list: string, size: number): string {
  if (list.length <= INSPECT_MAX) return `CpuSet(${list})`;
  const cut = list.lastIndexOf(',', INSPECT_MAX);
  return `CpuSet(${list.slice(0, cut)},… ${size} CPUs)`;
}
