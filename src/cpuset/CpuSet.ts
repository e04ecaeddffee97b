import { inspect } from 'node:util';
import { CpuSetSyntaxError } from './errors.js';
import { MAX_CPU, parseCpuList } from './parseCpuList.js';
import { parseCpuMask, looksLikeMask } from './parseCpuMask.js';

export { MAX_CPU };

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

/** Longest list {@link CpuSet} shows when inspected (console.log) before it abbreviates. */
const INSPECT_MAX = 120;

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
    if (typeof text !== 'string') {
      const shown = String(text);
      throw new CpuSetSyntaxError(shown, shown, 0, `expected a string, got ${typeof text}`);
    }
    if (format !== 'auto' && format !== 'list' && format !== 'mask') {
      throw new TypeError(`CpuSet.parse: unknown format ${JSON.stringify(format)}; use 'auto', 'list' or 'mask'`);
    }
    const useMask = format === 'mask' || (format === 'auto' && looksLikeMask(text));
    const cpus = useMask ? parseCpuMask(text) : parseCpuList(text, { maskHint: format === 'auto', ...(options.lastCpu !== undefined ? { lastCpu: options.lastCpu } : {}) });
    return CpuSet.#fromSorted(cpus);
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
    const list: number[] = [];
    let index = 0;
    for (const cpu of cpus) {
      CpuSet.#checkCpu(cpu, index++);
      list.push(cpu);
    }
    if (list.length === 0) return CpuSet.EMPTY;
    const arr = Uint32Array.from(list).sort();
    let w = 1;
    for (let r = 1; r < arr.length; r++) if (arr[r] !== arr[w - 1]) arr[w++] = arr[r]!;
    return new CpuSet(arr.slice(0, w));
  }

  /**
   * The CPUs `first` … `last` inclusive.
   *
   * @throws {CpuSetSyntaxError} when `last < first` or either is not a CPU number 0 … {@link MAX_CPU}.
   */
  static range(first: number, last: number): CpuSet {
    CpuSet.#checkCpu(first, 0);
    CpuSet.#checkCpu(last, 1);
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
    return CpuSet.#fromSorted(list);
  }

  /** Wraps CPUs that are already ascending and unique (what the parsers and merges produce). */
  static #fromSorted(list: ArrayLike<number>): CpuSet {
    if (list.length === 0) return CpuSet.EMPTY;
    // The parsers hand over a fresh Uint32Array that nothing else holds, so it needs no copy.
    return new CpuSet(list instanceof Uint32Array ? list : Uint32Array.from(list));
  }

  static #checkCpu(cpu: unknown, index: number): asserts cpu is number {
    if (typeof cpu !== 'number' || !Number.isInteger(cpu) || cpu < 0) {
      const shown = typeof cpu === 'number' ? String(cpu) : `${typeof cpu} ${String(cpu)}`;
      throw new CpuSetSyntaxError(shown, shown, index, 'a CPU number must be a whole number >= 0');
    }
    if (cpu > MAX_CPU) {
      throw new CpuSetSyntaxError(String(cpu), String(cpu), index, `CPU ${cpu} is above the largest supported CPU ${MAX_CPU}`);
    }
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
    const a = this.#cpus;
    const b = other.#cpus;
    if (b.length === 0) return this;
    if (a.length === 0) return other;
    const out = new Uint32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x <= y) i++;
      if (y <= x) j++;
      out[n++] = x <= y ? x : y;
    }
    while (i < a.length) out[n++] = a[i++]!;
    while (j < b.length) out[n++] = b[j++]!;
    return new CpuSet(out.slice(0, n));
  }

  /** CPUs in both sets. */
  intersect(other: CpuSet): CpuSet {
    const a = this.#cpus;
    const b = other.#cpus;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) out.push(x);
      if (x <= y) i++;
      if (y <= x) j++;
    }
    return CpuSet.#fromSorted(out);
  }

  /** CPUs in this set and not in `other`. */
  difference(other: CpuSet): CpuSet {
    const a = this.#cpus;
    const b = other.#cpus;
    const out: number[] = [];
    let j = 0;
    for (const x of a) {
      while (j < b.length && b[j]! < x) j++;
      if (j >= b.length || b[j] !== x) out.push(x);
    }
    return out.length === a.length ? this : CpuSet.#fromSorted(out);
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

  /**
   * The kernel's comma-grouped mask (`Cpus_allowed` form) without leading zero groups: 32-bit
   * groups, `ffffffff,00000003`; `{0,1}` → `3`; empty → `0`. Read it back with format `'mask'`
   * (a single group like `3` would be a list in `'auto'` format).
   */
  toKernelMask(): string {
    const hex = this.#hexDigits();
    const groups: string[] = [];
    for (let end = hex.length; end > 0; end -= 8) groups.unshift(hex.slice(Math.max(0, end - 8), end));
    return groups.join(',');
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
    const list = this.toList();
    if (list.length <= INSPECT_MAX) return `CpuSet(${list})`;
    const cut = list.lastIndexOf(',', INSPECT_MAX);
    return `CpuSet(${list.slice(0, cut)},… ${this.size} CPUs)`;
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
