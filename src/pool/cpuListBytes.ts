// Small on purpose, with no imports: worker start-up uses it instead of loading the CpuSet module.
const MAX_CPU = 65535;

/**
 * The kernel mask bytes (CPU n is bit n % 8 of byte n / 8) of a plain CPU list such as `0-3,8`, as
 * the pool writes it for its workers; null for anything else (the caller then takes the full path,
 * which parses and reports errors properly).
 */
export function cpuListBytes(list: string): Uint8Array | null {
  const ranges: number[] = [];
  let last = -1;
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (m === null) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b > MAX_CPU) return null;
    ranges.push(a, b);
    if (b > last) last = b;
  }
  if (last < 0) return null;
  const out = new Uint8Array((last >> 3) + 1);
  for (let i = 0; i < ranges.length; i += 2) for (let c = ranges[i]!; c <= ranges[i + 1]!; c++) out[c >> 3]! |= 1 << (c & 7);
  return out;
}

/** Whether two masks name the same CPUs (lengths may differ: missing bytes count as zero). */
export function sameCpuBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}
