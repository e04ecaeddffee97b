// Parsing a CPU list costs more than the system call itself; a caller pinning with the same text
// again (a loop, every worker of a pool) gets the same immutable set. `N`/`all` read the possible
// CPUs, which are fixed at boot, so the cache stays right.
import type { CpuSet, CpuSetFormat } from '../cpuset/CpuSet.js';
import { parseUserCpus } from '../os/procfs.js';

// One map per format, keyed by the text itself (a `${format}:${text}` key cost a new string per call,
// about half of pin()'s JS time); at most 64 texts each, cleared when full.
const byFormat = { auto: new Map<string, CpuSet>(), list: new Map<string, CpuSet>(), mask: new Map<string, CpuSet>() };

/** `parseUserCpus(text, format)`, remembered per (format, text). */
export function parseCpusCached(text: string, format: CpuSetFormat): CpuSet {
  const parsed = format === 'auto' ? byFormat.auto : format === 'list' ? byFormat.list : format === 'mask' ? byFormat.mask : undefined;
  // Not a format: parse it, which refuses it properly.
  if (parsed === undefined || typeof text !== 'string') return parseUserCpus(text, format);
  let set = parsed.get(text);
  if (set === undefined) {
    set = parseUserCpus(text, format);
    if (parsed.size >= 64) parsed.clear();
    parsed.set(text, set);
  }
  return set;
}
