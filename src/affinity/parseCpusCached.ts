// Parsing a CPU list costs more than the system call itself; a caller pinning with the same text
// again (a loop, every worker of a pool) gets the same immutable set. `N`/`all` read the possible
// CPUs, which are fixed at boot, so the cache stays right.
import type { CpuSet, CpuSetFormat } from '../cpuset/CpuSet.js';
import { parseUserCpus } from '../os/procfs.js';

// At most 64 texts, cleared when full.
const parsedCpus = new Map<string, CpuSet>();

/** `parseUserCpus(text, format)`, remembered per (format, text). */
export function parseCpusCached(text: string, format: CpuSetFormat): CpuSet {
  const key = `${format}:${text}`;
  let set = parsedCpus.get(key);
  if (set === undefined) {
    set = parseUserCpus(text, format);
    if (parsedCpus.size >= 64) parsedCpus.clear();
    parsedCpus.set(key, set);
  }
  return set;
}
