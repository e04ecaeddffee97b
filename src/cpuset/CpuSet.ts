import { inspect } from 'node:util';
import { CpuSetSyntaxError } from './errors.js';
import { MAX_CPU } from './parseCpuList.js';
import { parseCpus } from './parseCpus.js';
import { parseCpuBytes } from './parseCpuBytes.js';
import { checkCpuNumber, sortedCpus } from './sortedCpus.js';
import type { CpuSetFormat } from './CpuSetFormat.js';
import { formatCpuList, inspectCpuList } from './formatCpuList.js';
import { formatCpuMask, formatKernelMask } from './formatCpuMask.js';
import { differenceCpus, intersectCpus, unionCpus } from './mergeCpus.js';

export { MAX_CPU };
export type { CpuSetFormat };

/**
 * An immutable set of CPU numbers of any size (0 … {@link MAX_CPU}), iterated in ascending order.
 *
 * @example
 * const s = CpuSet.parse('0-7:2,12');   // 0,2,4,6,12
 * s.toList();                          // '0,2,4,6,12' (compact ranges, never strides)
 * s.toMask();                          // '0x1055'
 * console.log(s);                      // CpuSet(0,2,4,6,12)
 */
export class CpuSet implements Iterable<number> {
  /** The empty set. */
  static readonly EMPTY = new CpuSet(new Uint32Array(0));

  readonly #cpus: Uint32Array;

  private constructor(sortedUnique: Uint32Array) {
    this.#cpus = sortedUnique;
    Object.freeze(this);
  }

  /**
   * Parses any form users meet: lists (`0-3,8`), strides (`0-31:2`), the kernel's `used/group` form
   * (`0-31:1/4`), hex masks (`0xff`; `ff` with format `'mask'`) and the kernel's comma-grouped
   * masks (`ffffffff,00000003`), and the kernel's `all`, `none`, `N` (the last CPU: give
   * `options.lastCpu`) and spaces around commas. Surrounding whitespace is ignored.
   *
   * With `format: 'auto'` (default) the text is a mask when it starts with `0x` or is comma-grouped
   * with 8-digit groups after the first; otherwise it is a list (so `10` is CPU 10, and `ff` is an
   * error that suggests `0xff`). Use `'list'` or `'mask'` to decide explicitly, as taskset does with
   * and without `-c`: in `'mask'` format `3` means CPUs 0 and 1.
   *
   * @throws {CpuSetSyntaxError} naming the bad token and its position; CPUs above {@link MAX_CPU}
   * are refused the same way, before anything is allocated for them.
   */
  static parse(text: string, format: CpuSetFormat = 'auto', options: { readonly lastCpu?: number } = {}): CpuSet {
    return CpuSet.#fromSorted(parseCpus(text, format, options));
  }

  /** A set of the given CPU numbers (duplicates and any order are fine). */
  static of(...cpus: number[]): CpuSet {
    return CpuSet.from(cpus);
  }

  /**
   * A set of the given CPU numbers (duplicates and any order are fine).
   *
   * @throws {CpuSetSyntaxError} for anything but whole numbers 0 … {@link MAX_CPU}.
   */
  static from(cpus: Iterable<number>): CpuSet {
    if (cpus instanceof CpuSet) return cpus;
    return CpuSet.#fromSorted(sortedCpus(cpus));
  }

  /**
   * The CPUs `first` … `last` inclusive.
   *
   * @throws {CpuSetSyntaxError} when `last < first` or either is not a CPU number 0 … {@link MAX_CPU}.
   */
  static range(first: number, last: number): CpuSet {
    checkCpuNumber(first, 0);
    checkCpuNumber(last, 1);
    if (last < first) {
      throw new CpuSetSyntaxError(`${first}-${last}`, `${first}-${last}`, 0, `the range ${first}-${last} ends before it starts`);
    }
    const arr = new Uint32Array(last - first + 1);
    for (let i = 0; i < arr.length; i++) arr[i] = first + i;
    return new CpuSet(arr);
  }

  /**
   * A set from a little-endian byte mask (bit n of byte n>>3 is CPU n), as the kernel fills it.
   * Zero bytes beyond CPU {@link MAX_CPU} are fine (masks sized for the machine's possible CPUs).
   *
   * @throws {CpuSetSyntaxError} when a bit above CPU {@link MAX_CPU} is set.
   */
  static fromBytes(bytes: Uint8Array): CpuSet {
    return CpuSet.#fromSorted(parseCpuBytes(bytes));
  }

  /** Wraps CPUs that are already ascending and unique (what the parsers and merges produce). */
  static #fromSorted(list: ArrayLike<number>): CpuSet {
    if (list.length === 0) return CpuSet.EMPTY;
    // The parsers hand over a fresh Uint32Array that nothing else holds, so it needs no copy.
    return new CpuSet(list instanceof Uint32Array ? list : Uint32Array.from(list));
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

  /** The CPUs in ascending order. */
  *[Symbol.iterator](): Iterator<number> {
    for (const c of this.#cpus) yield c;
  }

  /** The CPUs in ascending order (a fresh array). */
  toArray(): number[] {
    return Array.from(this.#cpus);
  }

  /** The CPU at position `i` in ascending order; negative `i` counts from the end. */
  at(i: number): number | undefined {
    return this.#cpus.at(i);
  }

  /** CPUs in either set. */
  union(other: CpuSet): CpuSet {
    if (other.#cpus.length === 0) return this;
    if (this.#cpus.length === 0) return other;
    return new CpuSet(unionCpus(this.#cpus, other.#cpus));
  }

  /** CPUs in both sets. */
  intersect(other: CpuSet): CpuSet {
    return CpuSet.#fromSorted(intersectCpus(this.#cpus, other.#cpus));
  }

  /** CPUs in this set and not in `other`. */
  difference(other: CpuSet): CpuSet {
    const out = differenceCpus(this.#cpus, other.#cpus);
    return out.length === this.#cpus.length ? this : CpuSet.#fromSorted(out);
  }

  /** Whether every CPU of this set is in `other`. */
  isSubsetOf(other: CpuSet): boolean {
    // A merge walk without building the difference: pin() asks this on every call.
    const a = this.#cpus;
    const b = other.#cpus;
    if (a.length > b.length) return false;
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      while (j < b.length && b[j]! < x) j++;
      if (j >= b.length || b[j] !== x) return false;
    }
    return true;
  }

  /** Same CPUs. False for anything that is not a CpuSet. */
  equals(other: CpuSet): boolean {
    if (!(typeof other === 'object' && other !== null && #cpus in other)) return false;
    const a = this.#cpus;
    const b = other.#cpus;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** Compact list form, as `Cpus_allowed_list` shows it: `0-3,8,10-15` (empty string when empty). */
  toList(): string {
    return formatCpuList(this.#cpus);
  }

  /** Hex mask with `0x`, lowest CPU in the lowest bit: `{0,1}` → `0x3`; empty → `0x0`. */
  toMask(): string {
    return formatCpuMask(this.#cpus);
  }

  /**
   * The kernel's comma-grouped mask (`Cpus_allowed` form) without leading zero groups: 32-bit
   * groups, `ffffffff,00000003`; `{0,1}` → `3`; empty → `0`. Read it back with format `'mask'`
   * (a single group like `3` would be a list in `'auto'` format).
   */
  toKernelMask(): string {
    return formatKernelMask(this.#cpus);
  }

  /**
   * Little-endian bytes of the mask (the kernel's cpu_set_t layout): bit n of byte n>>3 is CPU n.
   * At least `minBytes` long (a whole number; use the kernel's mask size), longer if the set needs it.
   */
  toBytes(minBytes = 0): Uint8Array {
    const last = this.last;
    const len = Math.max(Math.ceil(Number(minBytes)) || 0, last === undefined ? 0 : (last >> 3) + 1);
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

  /** How console.log and util.inspect show a set: `CpuSet(0-3,8)`, abbreviated when very long. */
  [inspect.custom](): string {
    return inspectCpuList(this.toList(), this.size);
  }
}
