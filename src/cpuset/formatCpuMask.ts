// CpuSet's mask forms: `0x…` (toMask) and the kernel's comma-grouped `Cpus_allowed` (toKernelMask).

/** Hex mask with `0x` of ascending CPUs, lowest CPU in the lowest bit: `{0,1}` → `0x3`; empty → `0x0`. */
export function formatCpuMask(cpus: ArrayLike<number>): string {
  return `0x${hexDigits(cpus)}`;
}

/**
 * The kernel's comma-grouped mask (`Cpus_allowed` form) of ascending CPUs without leading zero
 * groups: 32-bit groups, `ffffffff,00000003`; `{0,1}` → `3`; empty → `0`.
 */
export function formatKernelMask(cpus: ArrayLike<number>): string {
  const hex = hexDigits(cpus);
  const groups: string[] = [];
  for (let end = hex.length; end > 0; end -= 8) groups.unshift(hex.slice(Math.max(0, end - 8), end));
  return groups.join(',');
}

/** The mask's hex digits without `0x` or leading zeros (`0` when empty); `cpus` ascending. */
function hexDigits(cpus: ArrayLike<number>): string {
  if (cpus.length === 0) return '0';
  const nibbles = new Uint8Array((cpus[cpus.length - 1]! >> 2) + 1);
  for (let i = 0; i < cpus.length; i++) nibbles[cpus[i]! >> 2]! |= 1 << (cpus[i]! & 3);
  let s = '';
  for (let i = nibbles.length - 1; i >= 0; i--) s += nibbles[i]!.toString(16);
  return s;
}
