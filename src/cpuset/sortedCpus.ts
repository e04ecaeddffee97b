// CPU numbers given as numbers (CpuSet.from, CpuSet.range): each checked, then sorted and deduplicated.
import { CpuSetSyntaxError } from './errors.js';
import { MAX_CPU } from './parseCpuList.js';

/**
 * The given CPU numbers ascending and without duplicates (any order and repeats are fine).
 *
 * @throws {CpuSetSyntaxError} for anything but whole numbers 0 … {@link MAX_CPU}.
 */
export function sortedCpus(cpus: Iterable<number>): Uint32Array {
  const list: number[] = [];
  let index = 0;
  for (const cpu of cpus) {
    checkCpuNumber(cpu, index++);
    list.push(cpu);
  }
  if (list.length === 0) return new Uint32Array(0);
  const arr = Uint32Array.from(list).sort();
  let w = 1;
  for (let r = 1; r < arr.length; r++) if (arr[r] !== arr[w - 1]) arr[w++] = arr[r]!;
  return arr.slice(0, w);
}

/**
 * Refuses anything but a whole number 0 … {@link MAX_CPU} given as a CPU number; `index` is its
 * position among the numbers given, for the error.
 *
 * @throws {CpuSetSyntaxError} naming the value.
 */
export function checkCpuNumber(cpu: unknown, index: number): asserts cpu is number {
  if (typeof cpu !== 'number' || !Number.isInteger(cpu) || cpu < 0) {
    const shown = typeof cpu === 'number' ? String(cpu) : `${typeof cpu} ${String(cpu)}`;
    throw new CpuSetSyntaxError(shown, shown, index, 'a CPU number must be a whole number >= 0');
  }
  if (cpu > MAX_CPU) {
    throw new CpuSetSyntaxError(String(cpu), String(cpu), index, `CPU ${cpu} is above the largest supported CPU ${MAX_CPU}`);
  }
}
