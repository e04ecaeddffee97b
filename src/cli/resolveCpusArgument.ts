import type { CpuSet } from '../cpuset/CpuSet.js';
import { parseUserCpus } from '../os/procfs.js';
import { isLocation, resolveLocation } from '../topology/resolveLocation.js';
import { readTopology } from '../topology/readTopology.js';

/**
 * Reads a CPU argument as taskset does: with `-c` a list, otherwise a mask (`3`, `0x3`).
 * With `-c`, location strings (`core:0-1`, `numa:1`, `core:0,pu:7`) are resolved against this
 * machine's topology, counting only usable objects.
 */
export function resolveCpusArgument(text: string, isList: boolean): CpuSet {
  if (isList && isLocation(text)) return resolveLocation(text, readTopology('/'));
  return parseUserCpus(text, isList ? 'list' : 'mask');
}
