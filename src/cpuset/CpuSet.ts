import { CpuSetSyntaxError } from '../errors.js';
import { parseCpuList } from './parseCpuList.js';
import { parseCpuMask, looksLikeMask } from './parseCpuMask.js';

/** The largest CPU number corepin accepts; larger numbers are refused instead of allocating. */
export const MAX_CPU = 65535;

/** How {@link CpuSet.parse} reads its text. */
export type CpuSetFormat = 'auto' | 'list' | 'mask';

/**
 * An immutable set of CPU numbers of any size (0 … {@link MAX_CPU}), iterated in ascending order.
 *
 * @example
 * const s = CpuSet.parse('0-7:2,12');   // 0,2,4,6,12
 * s.toList();                          // '0-6:2' is not produced; lists are compact: '0,2,4,6,12'
 * s.toMask();                          // '0x1055'
 */
export class CpuSet implements Iterable<number> {
  /** The empty set. */
  static readonly EMPTY = new CpuSet(new Uint32Array(0));

  readonly #cpus: Uint32Array;

  private constructor(sortedUnique: Uint32Array) {
    this.#cpus = sortedUnique;
  }

  /**
   * Parses any form users meet: lists (`0-3,8`), strides (`0-31:2`), the kernel's `used/group` form
   * (`0-31:1/4`), hex masks (`0xff`, `ff`) and the kernel's comma-grouped masks
   * (`ffffffff,00000003`).
   *
   * With `format: 'auto'` (default) the text is a mask when it starts with `0x`, contains a hex
   * letter, or is comma-grouped with 8-digit groups after the first; otherwise it is a list.
   * Use `'list'` or `'mask'` to decide explicitly (as taskset's `-c` does).
   *
   * @throws {CpuSetSyntaxError} naming the bad token and its position.
   */
  static parse(text: string, format: CpuSetFormat = 'auto'): CpuSet {
    if (typeof text !== 'string') {
      throw new CpuSetSyntaxError(String(text), String(text), 0, 'expected a string');
    }
    const useMask = format === 'mask' || (format === 'auto' && looksLikeMask(text));
    return CpuSet.#fromUnsorted(useMask ? parseCpuMask(text) : parseCpuList(text));
  }

  /** A set of the given CPU numbers (duplicates are fine). */
  static of(...cpus: number[]): CpuSet {
    return CpuSet.from(cpus);
  }

  /** A set of the given CPU numbers (duplicates are fine). */
  static from(cpus: Iterable<number>): CpuSet {
    const list: number[] = [];
    for (const cpu of cpus) {
      if (!Number.isInteger(cpu) || cpu < 0) {
        throw new CpuSetSyntaxError(String(cpu), String(cpu), 0, 'a CPU number must be a whole number >= 0');
      }
      if (cpu > MAX_CPU) {
        throw new CpuSetSyntaxError(String(cpu), String(cpu), 0, `CPU ${cpu} is above the largest supported CPU ${MAX_CPU}`);
      }
      list.push(cpu);
    }
    return CpuSet.#fromUnsorted(list);
  }

  /** The CPUs `first` … `last` inclusive. */
  static range(first: number, last: number): CpuSet {
    const list: number[] = [];
    for (let c = first; c <= last; c++) list.push(c);
    return CpuSet.from(list);
  }

  /** A set from a little-endian byte mask (bit n of byte n>>3 is CPU n), as the kernel fills it. */
  static fromBytes(bytes: Uint8Array): CpuSet {
    const list: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) list.push(i * 8 + bit);
    }
    return new CpuSet(Uint32Array.from(list));
  }

  static #fromUnsorted(list: ArrayLike<number>): CpuSet {
    if (list.length === 0) return CpuSet.EMPTY;
    const arr = Uint32Array.from(list).sort();
    let w = 1;
    for (let r = 1; r < arr.length; r++) if (arr[r] !== arr[w - 1]) arr[w++] = arr[r]!;
    return new CpuSet(arr.slice(0, w));
  }

  /** Number of CPUs in the set. */
  get size(): number {
    return this.#cpus.length;
  }

  /** True when the set has no CPU. */
  get isEmpty(): boolean {
    return this.#cpus.length === 0;
  }

  /** The lowest CPU, or undefined when empty. */
  get first(): number | undefined {
    return this.#cpus[0];
  }

  /** The highest CPU, or undefined when empty. */
  get last(): number | undefined {
    return this.#cpus[this.#cpus.length - 1];
  }

  /** Whether `cpu` is in the set (binary search). */
  has(cpu: number): boolean {
    const a = this.#cpus;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v === cpu) return true;
      if (v < cpu) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const c of this.#cpus) yield c;
  }

  /** The CPUs in ascending order. */
  toArray(): number[] {
    return Array.from(this.#cpus);
  }

  /** The CPU at position `i` in ascending order. */
  at(i: number): number | undefined {
    return this.#cpus[i < 0 ? this.#cpus.length + i : i];
  }

  /** CPUs in either set. */
  union(other: CpuSet): CpuSet {
    return CpuSet.#fromUnsorted([...this.#cpus, ...other.#cpus]);
  }

  /** CPUs in both sets. */
  intersect(other: CpuSet): CpuSet {
    const out: number[] = [];
    const a = this.#cpus;
    const b = other.#cpus;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]!);
        i++;
        j++;
      } else if (a[i]! < b[j]!) i++;
      else j++;
    }
    return new CpuSet(Uint32Array.from(out));
  }

  /** CPUs in this set and not in `other`. */
  difference(other: CpuSet): CpuSet {
    return new CpuSet(this.#cpus.filter((c) => !other.has(c)));
  }

  /** Whether every CPU of this set is in `other`. */
  isSubsetOf(other: CpuSet): boolean {
    for (const c of this.#cpus) if (!other.has(c)) return false;
    return true;
  }

  /** Same CPUs. */
  equals(other: CpuSet): boolean {
    const a = this.#cpus;
    const b = other.#cpus;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Compact list form, as `Cpus_allowed_list` shows it: `0-3,8,10-15` (empty string when empty). */
  toList(): string {
    const a = this.#cpus;
    const parts: string[] = [];
    let i = 0;
    while (i < a.length) {
      let j = i;
      while (j + 1 < a.length && a[j + 1] === a[j]! + 1) j++;
      parts.push(j === i ? `${a[i]}` : `${a[i]}-${a[j]}`);
      i = j + 1;
    }
    return parts.join(',');
  }

  /** Hex mask with `0x`, lowest CPU in the lowest bit: `{0,1}` → `0x3`; empty → `0x0`. */
  toMask(): string {
    return `0x${this.#hexDigits()}`;
  }

  /** The kernel's comma-grouped mask (`Cpus_allowed` form): 32-bit groups, `ffffffff,00000003`. */
  toKernelMask(): string {
    const hex = this.#hexDigits();
    const groups: string[] = [];
    for (let end = hex.length; end > 0; end -= 8) groups.unshift(hex.slice(Math.max(0, end - 8), end));
    groups[0] = groups[0]!.replace(/^0+(?=.)/, '');
    return groups.map((g, i) => (i === 0 ? g : g.padStart(8, '0'))).join(',');
  }

  /** Little-endian bytes of the mask, `bytes` long at least (the kernel's cpu_set_t layout). */
  toBytes(minBytes = 0): Uint8Array {
    const last = this.last;
    const len = Math.max(minBytes, last === undefined ? 0 : (last >> 3) + 1);
    const out = new Uint8Array(len);
    for (const c of this.#cpus) out[c >> 3]! |= 1 << (c & 7);
    return out;
  }

  /** Same as {@link toList}, so sets print naturally in templates. */
  toString(): string {
    return this.toList();
  }

  /** JSON form is the compact list. */
  toJSON(): string {
    return this.toList();
  }

  #hexDigits(): string {
    const last = this.last;
    if (last === undefined) return '0';
    const nibbles = new Uint8Array((last >> 2) + 1);
    for (const c of this.#cpus) nibbles[c >> 2]! |= 1 << (c & 3);
    let s = '';
    for (let i = nibbles.length - 1; i >= 0; i--) s += nibbles[i]!.toString(16);
    return s;
  }
}
