import { CpuSet } from '../cpuset/CpuSet.js';
import type { AffinityBackend } from './AffinityBackend.js';
import type { NativeAddon } from './nativeAddon.js';

// CpuSets are immutable, so their kernel mask bytes can be remembered: pinning the same set
// again (every recycled worker does) costs only the system call.
const maskCache = new WeakMap<CpuSet, Uint8Array>();

/** The default backend: sched_{get,set}affinity through the N-API addon. */
export function nativeBackend(addon: NativeAddon): AffinityBackend {
  // Reads go into one reusable buffer; when the kernel returns the same mask as last time (the
  // usual case) the same CpuSet is returned without decoding or allocating.
  let buf = new Uint8Array(128);
  let lastBytes = new Uint8Array(0);
  let lastSet = CpuSet.EMPTY;
  const get = (tid: number): CpuSet => {
    let used = addon.getAffinityInto(tid, buf);
    while (used < 0) {
      buf = new Uint8Array(-used);
      used = addon.getAffinityInto(tid, buf);
    }
    if (used === lastBytes.length) {
      let same = true;
      for (let i = 0; i < used; i++) {
        if (buf[i] !== lastBytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return lastSet;
    }
    lastBytes = buf.slice(0, used);
    lastSet = CpuSet.fromBytes(lastBytes);
    return lastSet;
  };
  return {
    name: 'native',
    get,
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
