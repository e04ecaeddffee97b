import { CpuSet } from '../cpuset/CpuSet.js';
import type { AffinityBackend } from './AffinityBackend.js';
import type { NativeAddon } from './nativeAddon.js';

// CpuSets are immutable, so the mask bytes of the last few sets pinned are kept: pinning the same set
// again (a loop, every recycled worker) costs only the system call. A WeakMap remembering every set
// ever pinned cost ~1 µs per new set (its insertions and their GC), more than the system call.
const RECENT = 4;
const recentSets: (CpuSet | undefined)[] = new Array<CpuSet | undefined>(RECENT).fill(undefined);
const recentMasks: Uint8Array[] = new Array<Uint8Array>(RECENT).fill(new Uint8Array(0));
let nextSlot = 0;
// Any other set is written into this buffer (1024 CPUs, allocated outside V8's heap as it is over 64
// bytes). V8 keeps a small new Uint8Array inside its heap, and handing one to N-API first moves its
// bytes out: ~1.5 µs, as much as the system call, on every pin with a new set (an array, CpuSet.of).
const scratch = new Uint8Array(128);
let scratchUsed = 0;

function maskOf(cpus: CpuSet): Uint8Array {
  for (let i = 0; i < RECENT; i++) if (recentSets[i] === cpus) return recentMasks[i]!;
  const bytes = cpus.toBytes();
  recentSets[nextSlot] = cpus;
  recentMasks[nextSlot] = bytes;
  nextSlot = (nextSlot + 1) % RECENT;
  if (bytes.length > scratch.length) return bytes;
  scratch.fill(0, 0, scratchUsed);
  scratch.set(bytes);
  scratchUsed = bytes.length;
  return scratch;
}

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
    return decoded(used);
  };
  // The set of the first `used` bytes of `buf`, reusing the last one when the bytes are the same.
  const decoded = (used: number): CpuSet => {
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
    set: (tid, cpus) => addon.setAffinity(tid, maskOf(cpus)),
    ...(typeof addon.pinAndRead === 'function' ? { setAndGet } : {}),
    tid: () => addon.gettid(),
    cpu: () => addon.getcpu(),
  };
  function setAndGet(tid: number, cpus: CpuSet): CpuSet {
    // One N-API call for both system calls; the mask comparison happens in C++, so the usual
    // answer (the kernel applied what was asked) costs no decoding and no allocation.
    const used = addon.pinAndRead(tid, maskOf(cpus), buf);
    if (used === -1) return cpus;
    if (used < -1) {
      buf = new Uint8Array(-used);
      return get(tid);
    }
    return decoded(used);
  }
}
