import { loadNativeAddon, nativeAddonLoadError } from '../os/nativeAddon.js';
import { readText } from '../os/procfs.js';
import type { MemoryPlan } from './memoryPlan.js';
import { LaunchSettingsError } from './errors.js';

/** The kernel's MPOL_* numbers. */
export const MPOL = { none: 0, preferred: 1, bind: 2, interleave: 3, local: 4 } as const;

/** A node list as the kernel's mask bytes (bit n of byte n/8). */
export function nodeMaskBytes(nodes: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(nodes.length === 0 ? 0 : Math.floor(Math.max(...nodes) / 8) + 1);
  for (const n of nodes) bytes[n >> 3]! |= 1 << (n & 7);
  return bytes;
}

/** The calling thread's memory policy: the kernel's mode number and mask, for restoring it later. */
export interface RawMemPolicy {
  readonly mode: number;
  readonly nodes: Uint8Array;
}

/**
 * Gives the calling thread the memory policy of `plan` and returns the one it had. Threads and
 * processes it creates from now on inherit the policy, across execve too.
 * @throws {LaunchSettingsError} without the native addon, or when the kernel refuses.
 */
export function setThreadMemPolicy(plan: MemoryPlan): RawMemPolicy {
  const addon = loadNativeAddon();
  if (addon === null) throw new LaunchSettingsError(`a memory policy needs corepin's native addon, which did not load (${nativeAddonLoadError() ?? 'unknown reason'}); rebuild it with npm run build or drop the memory setting`);
  const before = addon.getMempolicy();
  try {
    addon.setMempolicy(MPOL[plan.mode], nodeMaskBytes(plan.nodes));
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new LaunchSettingsError(`the kernel refused memory policy ${plan.mode}${plan.nodes.length > 0 ? ` on node ${plan.nodes.join(',')}` : ''} (${code}); check cpuset.mems and the NUMA nodes in corepin topo`);
  }
  return before;
}

/** Puts back a policy returned by {@link setThreadMemPolicy}. */
export function restoreThreadMemPolicy(before: RawMemPolicy): void {
  loadNativeAddon()?.setMempolicy(before.mode, before.nodes);
}

/** The NUMA nodes this process may allocate on (`Mems_allowed_list`, i.e. its cpuset.mems). */
export function allowedMemNodes(pid: number | 'self' = 'self'): number[] {
  const text = readText(`/proc/${pid}/status`);
  const m = text === null ? null : /^Mems_allowed_list:\s*(.*)$/m.exec(text);
  if (!m) return [];
  const out: number[] = [];
  for (const part of m[1]!.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-').map(Number);
    for (let n = a!; n <= (b ?? a!); n++) out.push(n);
  }
  return out;
}

/**
 * A thread's memory policy as /proc shows it (`default`, `bind:0`, `prefer:0`, `interleave:0-1`,
 * `local`): numa_maps prints the thread's own policy for every mapping that has none of its own, so
 * the most common word is the thread's policy. Null when it cannot be read (gone, no NUMA, no right).
 */
export function memPolicyOfThread(pid: number, tid: number): string | null {
  const text = readText(`/proc/${pid}/task/${tid}/numa_maps`);
  if (text === null || text === '') return null;
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const word = line.split(' ')[1];
    if (word !== undefined && word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [w, c] of counts) if (best === null || c > counts.get(best)!) best = w;
  return best;
}
