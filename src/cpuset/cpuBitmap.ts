// The bitmap behind parseCpuList: CPUs marked a 32-bit word at a time, read out in order.

/**
 * Marks, from `first` up to `last`, the first `used` CPUs of every group of `group` CPUs.
 * Work per item is at most about 3000 steps whatever the pattern, so many items stay cheap.
 */
export function markPattern(bits: Uint32Array, first: number, last: number, used: number, group: number): void {
  if (used === 0) return;
  if (used >= group) {
    markRange(bits, first, last);
    return;
  }
  if (group > 32) {
    // At most 65536 / 33 groups, each a short run.
    for (let base = first; base <= last; base += group) markRange(bits, base, Math.min(base + used - 1, last));
    return;
  }
  // Small groups: a word's bits depend only on the phase (offset into the group) of its first bit,
  // so build the `group` possible words once and copy one per word.
  const words = new Uint32Array(group);
  for (let phase = 0; phase < group; phase++) {
    let w = 0;
    for (let i = 0; i < 32; i++) if ((phase + i) % group < used) w |= 1 << i;
    words[phase] = w;
  }
  const wa = first >>> 5;
  const wb = last >>> 5;
  let phase = (((wa * 32 - first) % group) + group) % group;
  for (let w = wa; w <= wb; w++) {
    let m = words[phase]!;
    if (w === wa) m &= ~0 << (first & 31);
    if (w === wb) m &= ~0 >>> (31 - (last & 31));
    bits[w]! |= m;
    phase = (phase + 32) % group;
  }
}

/** Marks CPUs `a` … `b` inclusive, a word at a time. */
function markRange(bits: Uint32Array, a: number, b: number): void {
  const wa = a >>> 5;
  const wb = b >>> 5;
  const headMask = ~0 << (a & 31);
  const tailMask = ~0 >>> (31 - (b & 31));
  if (wa === wb) {
    bits[wa]! |= headMask & tailMask;
    return;
  }
  bits[wa]! |= headMask;
  for (let w = wa + 1; w < wb; w++) bits[w] = ~0;
  bits[wb]! |= tailMask;
}

/** The marked CPUs in ascending order. */
export function bitsToCpus(bits: Uint32Array): Uint32Array {
  let count = 0;
  for (let w = 0; w < bits.length; w++) count += popcount(bits[w]!);
  const out = new Uint32Array(count);
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      out[n++] = w * 32 + (31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
