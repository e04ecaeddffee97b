import type { CpuSet } from './CpuSet.js';

/**
 * How {@link CpuSet.parse} reads its text.
 *
 * @example
 * ```ts
 * import { CpuSet, type CpuSetFormat } from 'corepin';
 * const form: CpuSetFormat = 'mask';
 * CpuSet.parse('ff', form).toList(); // '0-7' (as a mask, so no 0x needed)
 * ```
 */
export type CpuSetFormat = 'auto' | 'list' | 'mask';
