import { CpuSetSyntaxError } from './errors.js';
import type { CpuSetFormat } from './CpuSetFormat.js';
import { parseCpuList } from './parseCpuList.js';
import { looksLikeMask, parseCpuMask } from './parseCpuMask.js';

/**
 * The CPUs of `text` in ascending order, for `CpuSet.parse` (which documents the forms): a mask
 * when `format` is `'mask'`, or `'auto'` and the text looks like one ({@link looksLikeMask});
 * otherwise a list.
 *
 * @throws {CpuSetSyntaxError} for a bad list or mask, or a `text` that is not a string.
 * @throws {TypeError} for an unknown `format`.
 */
export function parseCpus(text: string, format: CpuSetFormat, options: { readonly lastCpu?: number }): Uint32Array {
  if (typeof text !== 'string') {
    const shown = String(text);
    throw new CpuSetSyntaxError(shown, shown, 0, `expected a string, got ${typeof text}`);
  }
  if (format !== 'auto' && format !== 'list' && format !== 'mask') {
    throw new TypeError(`CpuSet.parse: unknown format ${JSON.stringify(format)}; use 'auto', 'list' or 'mask'`);
  }
  const useMask = format === 'mask' || (format === 'auto' && looksLikeMask(text));
  return useMask ? parseCpuMask(text) : parseCpuList(text, { maskHint: format === 'auto', ...(options.lastCpu !== undefined ? { lastCpu: options.lastCpu } : {}) });
}
