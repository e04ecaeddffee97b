import { CpuSetSyntaxError } from '../errors.js';

const MAX_CPU = 65535;
const MAX_DIGITS = (MAX_CPU + 1) / 4;

/**
 * Whether `text` reads as a mask rather than a list: it starts with `0x`, has a hex letter, or is
 * comma-grouped with 8-digit groups after the first (the kernel's `Cpus_allowed` form).
 */
export function looksLikeMask(text: string): boolean {
  const t = text.trim();
  if (/^0[xX]/.test(t)) return true;
  if (/^[0-9a-fA-F,]+$/.test(t) && /[a-fA-F]/.test(t)) return true;
  return /^[0-9a-fA-F]{1,8}(,[0-9a-fA-F]{8})+$/.test(t);
}

/**
 * Parses a hex mask (`0x3`, `ff`, `ffffffff,00000003`): bit n is CPU n.
 * Returns the CPUs in ascending order.
 *
 * @throws {CpuSetSyntaxError} naming the bad token and its position.
 */
export function parseCpuMask(input: string): number[] {
  const text = input.trim();
  const start = input.length === 0 ? 0 : input.indexOf(text.charAt(0));
  let body = text;
  let at = start;
  if (/^0[xX]/.test(body)) {
    body = body.slice(2);
    at += 2;
  }
  if (body.length === 0) throw new CpuSetSyntaxError(input, input, start, 'the mask has no hex digits');
  const bad = body.search(/[^0-9a-fA-F,]/);
  if (bad >= 0) throw new CpuSetSyntaxError(input, body.charAt(bad), at + bad, 'not a hex digit');
  const groups = body.split(',');
  let gpos = at;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.length === 0) throw new CpuSetSyntaxError(input, ',', gpos, 'empty group in mask');
    if (groups.length > 1 && (g.length > 8 || (i > 0 && g.length !== 8))) {
      throw new CpuSetSyntaxError(input, g, gpos, 'each group of a comma-grouped mask after the first must have 8 hex digits');
    }
    gpos += g.length + 1;
  }
  const digits = groups.join('').replace(/^0+(?=.)/, '');
  if (digits.length > MAX_DIGITS) {
    throw new CpuSetSyntaxError(input, `${digits.slice(0, 12)}...`, at, `mask is wider than ${MAX_CPU + 1} CPUs`);
  }
  const out: number[] = [];
  for (let i = digits.length - 1, nib = 0; i >= 0; i--, nib++) {
    const v = parseInt(digits.charAt(i), 16);
    for (let bit = 0; bit < 4; bit++) if (v & (1 << bit)) out.push(nib * 4 + bit);
  }
  return out;
}
