import { CpuSet } from '../cpuset/CpuSet.js';
import type { AffinityBackend } from './AffinityBackend.js';
import type { NativeAddon } from './nativeAddon.js';

// CpuSets are immutable, so their kernel mask bytes can be remembered: pinning the same set
// again (every recycled worker does) costs only the system call.
const maskCache = new WeakMap<CpuSet, Uint8Array>();

/** The default backend: sched_{get,set}affinity through the N-API addon. */
export function nativeBackend(addon: NativeAddon): AffinityBackend {
  return {
    name: 'native',
    get: (tid) => CpuSet.fromBytes(addon.getAffinity(tid)),
    set: (tid, cpus) => {
      let bytes = maskCache.get(cpus);
      if (bytes === undefined) {
        bytes = cpus.toBytes();
        maskCache.set(cpus, bytes);
      }
      addon.setAffinity(tid, bytes);
    },
    tid: () => addon.gettid(),
    cpu: () => addon.getcpu(),
  };
}
