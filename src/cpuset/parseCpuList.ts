import { CpuSetSyntaxError } from '../errors.js';

const MAX_CPU = 65535;

/**
 * Parses a CPU list: comma-separated items, each `N`, `N-M`, `N-M:S` (taskset's stride) or
 * `N-M:U/G` (the kernel's form: of every group of G CPUs from N, the first U).
 * Returns the CPUs in ascending order, without duplicates. Work and memory are bounded:
 * CPUs are marked in a 64 Ki bitmap, never more.
 *
 * @throws {CpuSetSyntaxError} naming the bad token and its position.
 */
export function parseCpuList(input: string): number[] {
  const text = input.trim();
  const offset = input.indexOf(text.charAt(0));
  if (text.length === 0) throw new CpuSetSyntaxError(input, input, 0, 'the list is empty');
  const marks = new Uint8Array(MAX_CPU + 1);
  let pos = 0;
  for (const item of text.split(',')) {
    parseItem(input, item, offset + pos, marks);
    pos += item.length + 1;
  }
  const out: number[] = [];
  for (let c = 0; c <= MAX_CPU; c++) if (marks[c]) out.push(c);
  return out;
}

const ITEM = /^(\d+)(?:-(\d+)(?::(\d+)(?:\/(\d+))?)?)?$/;

function parseItem(input: string, item: string, at: number, marks: Uint8Array): void {
  if (item.length === 0) throw new CpuSetSyntaxError(input, item, at, 'empty item (two commas, or a comma at an end)');
  const m = ITEM.exec(item);
  if (!m) throw new CpuSetSyntaxError(input, item, at + firstBad(item), explainBad(item));
  const first = cpuNumber(input, m[1]!, at);
  const last = m[2] === undefined ? first : cpuNumber(input, m[2], at + m[1]!.length + 1);
  if (last < first) throw new CpuSetSyntaxError(input, item, at, `range ${first}-${last} ends before it starts`);
  let used = 1;
  let group = 1;
  if (m[3] !== undefined) {
    const a = smallNumber(input, m[3], item, at);
    if (m[4] === undefined) {
      group = a; // taskset stride: every a-th CPU
    } else {
      used = a;
      group = smallNumber(input, m[4], item, at);
      if (used > group) throw new CpuSetSyntaxError(input, item, at, `used count ${used} is larger than group size ${group}`);
    }
    if (group === 0 || used === 0) throw new CpuSetSyntaxError(input, item, at, 'a stride or group size must be at least 1');
  }
  for (let base = first; base <= last; base += group) {
    for (let k = 0; k < used && base + k <= last; k++) marks[base + k] = 1;
  }
}

function cpuNumber(input: string, digits: string, at: number): number {
  // Compare by length first so huge digit strings never become imprecise floats.
  const n = digits.length > 6 ? Infinity : Number(digits);
  if (n > MAX_CPU) {
    throw new CpuSetSyntaxError(input, digits, at, `CPU ${digits.length > 12 ? `${digits.slice(0, 12)}...` : digits} is above the largest supported CPU ${MAX_CPU}`);
  }
  return n;
}

function smallNumber(input: string, digits: string, item: string, at: number): number {
  const n = digits.length > 6 ? Infinity : Number(digits);
  if (n > MAX_CPU + 1) throw new CpuSetSyntaxError(input, item, at, `stride ${digits.slice(0, 12)} is too large`);
  return n;
}

function firstBad(item: string): number {
  const i = item.search(/[^0-9\-:/]/);
  return i < 0 ? 0 : i;
}

function explainBad(item: string): string {
  if (/^-/.test(item)) return 'a CPU number cannot be negative or missing before "-"';
  if (/-$/.test(item)) return 'a range needs an end after "-"';
  if (/[^0-9\-:/]/.test(item)) return 'unexpected character';
  if (/:$|:\/|\/$/.test(item)) return 'a stride needs a number after ":" (and after "/")';
  if (/^\d+:/.test(item)) return 'a stride needs a range before it (like 0-31:2)';
  return 'not a CPU, range or stride';
}
