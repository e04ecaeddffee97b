import { CpuSetSyntaxError } from './errors.js';
import { MAX_CPU } from './parseCpuList.js';

/**
 * The CPUs of a little-endian byte mask (bit n of byte n>>3 is CPU n), as the kernel fills it, in
 * ascending order. Zero bytes beyond CPU {@link MAX_CPU} are fine (masks sized for the machine's
 * possible CPUs).
 *
 * @throws {CpuSetSyntaxError} when a bit above CPU {@link MAX_CPU} is set.
 */
export function parseCpuBytes(bytes: Uint8Array): number[] {
  const list: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0) continue;
    if (i * 8 > MAX_CPU) {
      const cpu = i * 8 + (31 - Math.clz32(b & -b));
      throw new CpuSetSyntaxError(
        `byte ${i}`,
        `${cpu}`,
        0,
        `the mask sets CPU ${cpu}, above the largest supported CPU ${MAX_CPU}`,
      );
    }
    for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) list.push(i * 8 + bit);
  }
  return list;
}
