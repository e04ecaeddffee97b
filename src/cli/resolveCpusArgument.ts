import { CpuSet } from '../cpuset/CpuSet.js';

/**
 * Reads a CPU argument as taskset does: with `-c` a list, otherwise a mask (`3`, `0x3`).
 * Location strings (`core:0-1`, `numa:1`) are resolved against this machine's topology.
 */
export async function resolveCpusArgument(text: string, isList: boolean): Promise<CpuSet> {
  return CpuSet.parse(text, isList ? 'list' : 'mask');
}
