import { CpuSetSyntaxError } from './errors.js';
import { MAX_CPU, MAX_TOKEN } from './parseCpuList.js';

/** Hex digits needed for CPUs 0 … MAX_CPU; a mask with more significant digits is refused. */
const MAX_DIGITS = (MAX_CPU + 1) / 4;

/** The kernel's `Cpus_allowed` form: 32-bit groups, every group after the first exactly 8 digits. */
const KERNEL_GROUPED = /^[0-9a-fA-F]{1,8}(?:,[0-9a-fA-F]{8})+$/;

/**
 * Whether `text` reads as a mask in `CpuSet.parse`'s `'auto'` format: it starts with `0x`,
 * or it is the kernel's comma-grouped form with at least two groups (`1,00000000`).
 *
 * A bare hex string (`ff`, `10`) is not a mask here, because `10` would then mean CPU 4 or CPU 10
 * depending on the digits; write `0xff`, or parse with format `'mask'` (as taskset's positional mask).
 */
export function looksLikeMask(text: string): boolean {
  const t = text.trim();
  return /^0[xX]/.test(t) || KERNEL_GROUPED.test(t);
}

/**
 * Parses a hex mask, lowest CPU in the lowest bit: `3`, `0x3`, `0XFF`, or the kernel's comma-grouped
 * form `ffffffff,00000003` (every group after the first has exactly 8 digits, the first 1 to 8).
 * Surrounding whitespace is ignored; leading zeros are, too (a kernel mask is as wide as the
 * machine's possible CPUs). Masks with bits above CPU {@link MAX_CPU} are refused.
 *
 * Returns the CPUs in ascending order.
 *
 * @throws {CpuSetSyntaxError} naming the bad token and its 0-based position in `input`.
 */
export function parseCpuMask(input: string): Uint32Array {
  const start = input.length - input.trimStart().length;
  const end = Math.max(start, input.trimEnd().length);
  let p = start;
  if (end - start >= 2 && input.charAt(p) === '0' && (input.charAt(p + 1) === 'x' || input.charAt(p + 1) === 'X')) p += 2;
  if (p === end) {
    const shown = input.slice(start, end);
    throw new CpuSetSyntaxError(input, shown, start, 'a mask without hex digits (write 0x0 for no CPU)', 'mask');
  }
  const firstDigit = checkChars(input, p, end);
  checkGroups(input, p, end);
  let significant = 0;
  if (firstDigit >= 0) {
    for (let i = firstDigit; i < end; i++) if (input.charCodeAt(i) !== 44) significant++;
  }
  if (significant > MAX_DIGITS) {
    throw new CpuSetSyntaxError(
      input,
      input.slice(firstDigit, firstDigit + MAX_TOKEN),
      firstDigit,
      `a mask ${significant * 4} bits wide, wider than the ${MAX_CPU + 1} CPUs corepin supports`, 'mask');
  }
  if (firstDigit < 0) return new Uint32Array(0);
  let count = 0;
  for (let i = firstDigit; i < end; i++) {
    const code = input.charCodeAt(i);
    if (code !== 44) count += BITS_SET[hexValue(code)]!;
  }
  const out = new Uint32Array(count);
  // Walk from the lowest digit up, so CPUs come out ascending.
  let n = 0;
  let nibble = 0;
  for (let i = end - 1; i >= firstDigit; i--) {
    const code = input.charCodeAt(i);
    if (code === 44) continue;
    const v = hexValue(code);
    for (let bit = 0; bit < 4; bit++) if (v & (1 << bit)) out[n++] = nibble * 4 + bit;
    nibble++;
  }
  return out;
}

/** Refuses anything but hex digits and commas; returns the index of the first non-zero digit, or -1. */
function checkChars(input: string, from: number, end: number): number {
  let firstNonZero = -1;
  for (let i = from; i < end; i++) {
    const code = input.charCodeAt(i);
    if (code === 44) continue;
    const v = hexValue(code);
    if (v < 0) {
      let q = i;
      while (q < end && hexValue(input.charCodeAt(q)) < 0 && input.charCodeAt(q) !== 44) q++;
      const run = input.slice(i, Math.min(q, i + MAX_TOKEN));
      throw new CpuSetSyntaxError(input, run, i, `${JSON.stringify(String.fromCodePoint(run.codePointAt(0)!))}, not a hex digit`, 'mask');
    }
    if (v !== 0 && firstNonZero < 0) firstNonZero = i;
  }
  return firstNonZero;
}

/** With commas, the mask must be the kernel's grouping: no empty group, 8 digits after the first. */
function checkGroups(input: string, from: number, end: number): void {
  const firstComma = input.indexOf(',', from);
  if (firstComma < 0 || firstComma >= end) return;
  let groupStart = from;
  for (let i = from; i <= end; i++) {
    if (i < end && input.charCodeAt(i) !== 44) continue;
    const width = i - groupStart;
    if (width === 0) {
      // The comma that leaves the group empty: the leading one, a doubled one, or a trailing one.
      const comma = i === end ? i - 1 : i;
      const where = groupStart === from ? 'at the start' : i === end ? 'at the end' : 'doubled';
      throw new CpuSetSyntaxError(input, ',', comma, `an empty group in the mask (a comma ${where}; remove it)`, 'mask');
    }
    if (groupStart === from ? width > 8 : width !== 8) {
      const group = input.slice(groupStart, Math.min(i, groupStart + MAX_TOKEN));
      const rule =
        groupStart === from
          ? `a first group of ${width} hex digits where at most 8 are allowed`
          : `a group of ${width} hex digits where the groups after the first have exactly 8`;
      throw new CpuSetSyntaxError(input, group, groupStart, `${rule} (the kernel's form is like ffffffff,00000003)`, 'mask');
    }
    groupStart = i + 1;
  }
}

/** How many bits each hex digit value sets (sizes the result before filling it). */
const BITS_SET = Uint8Array.of(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);

/** The value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}
