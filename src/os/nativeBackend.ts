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

// Sets whose CPUs are all below 53 go to the addon as one number (bit n is CPU n, exact in a double):
// no typed array to look up on the native side (setAffinityBits / pinAndReadBits). The last few
// sets keep their number, computed once; 0 means "a CPU is 53 or above: use the mask bytes".
const BITS_LIMIT = 53;
const bitSets: (CpuSet | undefined)[] = new Array<CpuSet | undefined>(RECENT).fill(undefined);
const bitValues: number[] = new Array<number>(RECENT).fill(0);
let nextBitSlot = 0;

function bitsOf(cpus: CpuSet): number {
  for (let i = 0; i < RECENT; i++) if (bitSets[i] === cpus) return bitValues[i]!;
  let bits = 0;
  const last = cpus.last;
  if (last !== undefined && last < BITS_LIMIT) for (const c of cpus.toArray()) bits += 2 ** c;
  bitSets[nextBitSlot] = cpus;
  bitValues[nextBitSlot] = bits;
  nextBitSlot = (nextBitSlot + 1) % RECENT;
  return bits;
}

/** The CpuSet of a mask given as a number (bit n is CPU n). */
function setOfBits(bits: number): CpuSet {
  const cpus: number[] = [];
  for (let c = 0; bits > 0; c++, bits = Math.floor(bits / 2)) if (bits % 2 === 1) cpus.push(c);
  return CpuSet.from(cpus);
}

/** The default backend: sched_{get,set}affinity through the N-API addon. */
export function nativeBackend(addon: NativeAddon): AffinityBackend {
  // Reads go into one reusable buffer; when the kernel returns the same mask as last time (the
  // usual case) the same CpuSet is returned without decoding or allocating.
  let buf = new Uint8Array(128);
  let lastBytes = new Uint8Array(0);
  let lastSet = CpuSet.EMPTY;
  // An addon built before the number paths existed (a stale build/) has only the byte paths.
  const withBits = typeof addon.setAffinityBits === 'function' && typeof addon.pinAndReadBits === 'function';
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
    set: (tid, cpus) => {
      const bits = withBits ? bitsOf(cpus) : 0;
      if (bits > 0) addon.setAffinityBits!(tid, bits);
      else addon.setAffinity(tid, maskOf(cpus));
    },
    ...(typeof addon.pinAndRead === 'function' ? { setAndGet } : {}),
    tid: () => addon.gettid(),
    cpu: () => addon.getcpu(),
  };
  function setAndGet(tid: number, cpus: CpuSet): CpuSet {
    // One N-API call for both system calls; the mask comparison happens in C++, so the usual
    // answer (the kernel applied what was asked) costs no decoding and no allocation.
    const bits = withBits ? bitsOf(cpus) : 0;
    if (bits > 0) {
      const got = addon.pinAndReadBits!(tid, bits);
      if (got === -1) return cpus;
      // -2: a CPU of the kernel's mask is 53 or above; the set happened, read it the general way.
      return got === -2 ? get(tid) : setOfBits(got);
    }
    const used = addon.pinAndRead(tid, maskOf(cpus), buf);
    if (used === -1) return cpus;
    if (used < -1) {
      buf = new Uint8Array(-used);
      return get(tid);
    }
    return decoded(used);
  }
}
