import { CpuSetSyntaxError } from './errors.js';
import { bitsToCpus, markPattern } from './cpuBitmap.js';

/**
 * The largest CPU number corepin accepts; larger numbers are refused instead of allocating.
 *
 * @example
 * ```ts
 * import { CpuSet, MAX_CPU } from 'corepin';
 * CpuSet.parse(`0-${MAX_CPU}`).size; // 65536: the largest CPU number a set may hold is MAX_CPU
 * ```
 */
export const MAX_CPU = 65535;

/** Tokens quoted in errors are cut to this length so a huge bad input never makes a huge message. */
export const MAX_TOKEN = 24;

/** Options of {@link parseCpuList}. */
export interface ParseCpuListOptions {
  /**
   * Whether a bare hex string (`ff`, `abc`) should be answered with a hint to write it as `0xff`.
   * True where the caller would have accepted `0x…` as a mask (format `'auto'`).
   */
  readonly maskHint?: boolean;
  /**
   * The machine's last CPU, which the kernel's `N` and `all` stand for (`all` = `0-N`). Without
   * it, `N` and `all` are refused with a message saying so.
   */
  readonly lastCpu?: number;
}

/**
 * Parses a CPU list: comma-separated items, each `N`, `N-M`, `N-M:S` (taskset's stride: every S-th
 * CPU of the range) or `N-M:U/G` (the kernel's form: of every group of G CPUs from N, the first U;
 * a U of 0 adds nothing). As in the kernel's bitmap_parselist: the letter `N` is the last CPU
 * (`options.lastCpu`), `all` (any case) is `0-N` and takes a stride or pattern too (`all:1/2`),
 * `none` alone is the empty set, and whitespace around commas is allowed. Surrounding whitespace is
 * ignored (file contents end with a newline). Unlike the kernel, empty items (`0,,1`, `0,`) and
 * items separated by spaces only (`0 1`) are refused: they are usually typos.
 *
 * Returns the CPUs in ascending order, without duplicates. Memory is the input's item list plus a bitmap
 * of at most 8 KiB; time is linear in the input plus the number of CPUs the items name.
 *
 * @throws {CpuSetSyntaxError} naming the bad token and its 0-based position in `input`.
 */
export function parseCpuList(input: string, options: ParseCpuListOptions = {}): Uint32Array {
  const start = input.length - input.trimStart().length;
  const end = input.trimEnd().length;
  if (start >= end) throw new CpuSetSyntaxError(input, '', 0, 'the list is empty');
  if (input.slice(start, end) === 'none') return new Uint32Array(0);
  const lastCpu = options.lastCpu;
  if (lastCpu !== undefined && !(Number.isInteger(lastCpu) && lastCpu >= 0 && lastCpu <= MAX_CPU)) {
    throw new TypeError(`parseCpuList: lastCpu must be a CPU number 0 … ${MAX_CPU}, got ${String(lastCpu)}`);
  }
  const scan = new ListScanner(input, start, end, options.maskHint === true, lastCpu);
  // Check every item first, so the bitmap is only as large as the highest CPU named.
  const items: Item[] = [];
  let highest = 0;
  let pos = start;
  for (;;) {
    const item = scan.item(pos);
    items.push(item);
    highest = Math.max(highest, item.last);
    pos = item.end;
    if (pos === end) break;
    // scan.item stops only at the end or at a comma (whitespace around it skipped).
    const comma = pos;
    pos = skipSpace(input, pos + 1, end);
    if (pos === end) throw new CpuSetSyntaxError(input, ',', comma, 'empty item after the last comma (remove the comma)');
  }
  const bits = new Uint32Array((highest >>> 5) + 1);
  for (const it of items) markPattern(bits, it.first, it.last, it.used, it.group);
  return bitsToCpus(bits);
}

/** One checked item: CPUs `first` … `last`, the first `used` of every `group`; `end` is where it stops. */
interface Item {
  readonly first: number;
  readonly last: number;
  readonly used: number;
  readonly group: number;
  readonly end: number;
}

/** One parsed number: its digits as written (may be huge) and its value (Infinity when > 2^53). */
interface NumberToken {
  readonly at: number;
  readonly digits: string;
  readonly value: number;
}

/** Characters a list may contain; anything else is reported as an unexpected character. */
const LIST_CHARS = /[0-9,\-:/]/;

class ListScanner {
  constructor(
    private readonly input: string,
    private readonly start: number,
    private readonly end: number,
    private readonly maskHint: boolean,
    private readonly lastCpu: number | undefined,
  ) {}

  /** Parses and checks the item at `at`; it stops at the end or at a comma. */
  item(at: number): Item {
    const ch = this.charAt(at);
    if (ch === ',') {
      throw new CpuSetSyntaxError(
        this.input,
        ',',
        at,
        at === this.start ? 'empty item before the first comma (remove the comma)' : 'empty item between two commas (remove one)',
      );
    }
    const all = /^all(?![A-Za-z0-9])/i.test(this.input.slice(at, Math.min(at + 4, this.end)));
    const first = all ? { at, digits: '0', value: 0 } : this.number(at, 'a CPU number');
    let p = all ? at + 3 : first.at + first.digits.length;
    this.checkCpu(first);
    let last = all ? { at, digits: 'N', value: this.lastCpuFor(at) } : first;
    let used: NumberToken | undefined;
    let group: NumberToken | undefined;
    if (this.charAt(p) === '-' && !all) {
      last = this.number(p + 1, 'range end', at);
      p = last.at + last.digits.length;
      this.checkCpu(last);
    }
    if (all || last !== first) {
      if (this.charAt(p) === ':') {
        const a = this.number(p + 1, 'stride', at);
        p = a.at + a.digits.length;
        if (this.charAt(p) === '/') {
          const g = this.number(p + 1, 'group size', at);
          p = g.at + g.digits.length;
          used = a;
          group = g;
        } else {
          group = a;
        }
      }
    }
    const after = skipSpace(this.input, p, this.end);
    if (after < this.end && this.charAt(after) !== ',') {
      if (after > p) throw new CpuSetSyntaxError(this.input, clip(this.input.slice(p, after)), p, 'items separated by whitespace without a comma (write 0,1)');
      this.unexpected(p, at);
    }
    p = after;
    if (last.value < first.value) {
      throw new CpuSetSyntaxError(
        this.input,
        this.itemText(at),
        at,
        `range ${first.value}-${last.value} ends before it starts (write ${last.value}-${first.value})`,
      );
    }
    let usedCount = 1;
    let groupSize = 1;
    if (group !== undefined) {
      if (group.value === 0) {
        const what = used === undefined ? 'a stride' : 'a group size';
        throw new CpuSetSyntaxError(this.input, group.digits, group.at, `${what} of 0 (it must be at least 1)`);
      }
      if (used !== undefined && compareDigits(used.digits, group.digits) > 0) {
        throw new CpuSetSyntaxError(
          this.input,
          this.itemText(at),
          at,
          `used count ${clip(strip(used.digits))} larger than the group size ${clip(strip(group.digits))}`,
        );
      }
      // Counts beyond the CPU range behave like MAX_CPU + 1: one group, or all of it used.
      groupSize = Math.min(group.value, MAX_CPU + 1);
      // A used count of 0 adds nothing, as in the kernel.
      usedCount = used === undefined ? 1 : Math.min(used.value, MAX_CPU + 1);
    }
    return { first: first.value, last: last.value, used: usedCount, group: groupSize, end: p };
  }

  /** The machine's last CPU, for `N` and `all` at `at`; refused when the caller did not give it. */
  private lastCpuFor(at: number): number {
    if (this.lastCpu !== undefined) return this.lastCpu;
    const token = this.input.charAt(at) === 'N' ? 'N' : this.input.slice(at, at + 3);
    throw new CpuSetSyntaxError(this.input, token, at, `"${token}" stands for the machine's last CPU, which is not known here (pass { lastCpu } to CpuSet.parse; pin() and the CLI do)`);
  }

  /** Reads the decimal number (or `N`, the last CPU) at `at`, or explains what is there instead. */
  private number(at: number, what: string, itemAt = at): NumberToken {
    if (what !== 'stride' && what !== 'group size' && this.charAt(at) === 'N') {
      const n = { at, digits: 'N', value: this.lastCpuFor(at) };
      if (isDigit(this.input.charCodeAt(at + 1)) || this.charAt(at + 1) === 'N') this.unexpected(at + 1, itemAt);
      return n;
    }
    let p = at;
    while (p < this.end && isDigit(this.input.charCodeAt(p))) p++;
    if (p === at) this.missing(at, what, itemAt);
    const digits = this.input.slice(at, p);
    const significant = strip(digits);
    // Long digit strings are never turned into imprecise floats.
    const value = significant.length > 15 ? Infinity : Number(significant);
    return { at, digits, value };
  }

  private checkCpu(n: NumberToken): void {
    if (n.value > MAX_CPU) {
      throw new CpuSetSyntaxError(
        this.input,
        clip(n.digits),
        n.at,
        `CPU ${clip(strip(n.digits))} above the largest supported CPU ${MAX_CPU}`,
      );
    }
  }

  /** A number was expected at `at` but something else (or nothing) is there. */
  private missing(at: number, what: string, itemAt: number): never {
    const ch = this.charAt(at);
    if (at < this.end && !LIST_CHARS.test(ch)) this.unexpected(at, itemAt);
    const item = this.itemText(itemAt);
    if (at === itemAt && ch === '-') {
      throw new CpuSetSyntaxError(this.input, item, itemAt, 'a negative CPU number or a range without a start');
    }
    if (at === itemAt) {
      throw new CpuSetSyntaxError(this.input, item, itemAt, `"${ch}" without a CPU number before it`);
    }
    const why = at >= this.end || ch === ',' ? `no ${what} after "${this.input.charAt(at - 1)}"` : `"${ch}" where the ${what} belongs`;
    throw new CpuSetSyntaxError(this.input, item, itemAt, why);
  }

  /** Something other than the expected separator follows a complete part of the item at `p`. */
  private unexpected(p: number, itemAt: number): never {
    const ch = this.charAt(p);
    if (!LIST_CHARS.test(ch)) {
      let q = p;
      while (q < this.end && !LIST_CHARS.test(this.input.charAt(q))) q++;
      const run = this.input.slice(p, q);
      throw new CpuSetSyntaxError(this.input, clip(run), p, `an unexpected character ${JSON.stringify(String.fromCodePoint(run.codePointAt(0)!))}${this.hint()}`);
    }
    const item = this.itemText(itemAt);
    const why =
      ch === ':' && !item.includes('-')
        ? 'a stride without a range before it (write it like 0-31:2)'
        : ch === '-'
          ? 'a second "-" in one item (a range is like 0-3)'
          : ch === ':' || ch === '/'
            ? `an unexpected "${ch}" (items are N, N-M, N-M:STRIDE or N-M:USED/GROUP)`
            : `an unexpected "${ch}"`;
    throw new CpuSetSyntaxError(this.input, item, itemAt, why);
  }

  /** For bare hex (`ff`) in 'auto' mode, say how to write it as a mask. */
  private hint(): string {
    const text = this.input.slice(this.start, this.end);
    if (this.maskHint && /^[0-9a-fA-F]+$/.test(text) && text.length <= MAX_TOKEN) {
      return ` (a hex mask needs 0x: 0x${text})`;
    }
    return '';
  }

  /** The item starting at `at`, up to the next comma, cut to {@link MAX_TOKEN} characters. */
  private itemText(at: number): string {
    const comma = this.input.indexOf(',', at);
    return clip(this.input.slice(at, comma < 0 || comma > this.end ? this.end : comma));
  }

  private charAt(p: number): string {
    return p < this.end ? this.input.charAt(p) : '';
  }
}

/** The first position at or after `p` (before `end`) that is not a space, tab or newline. */
function skipSpace(input: string, p: number, end: number): number {
  while (p < end && /\s/.test(input.charAt(p))) p++;
  return p;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Digits without leading zeros ("0" stays "0"). */
function strip(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

/** Compares two decimal digit strings by value, exactly, whatever their length. */
function compareDigits(a: string, b: string): number {
  const x = strip(a);
  const y = strip(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A prefix of `s` at most `max` characters long: still a substring of the input, at the same position. */
function clip(s: string, max = MAX_TOKEN): string {
  return s.length > max ? s.slice(0, max) : s;
}
