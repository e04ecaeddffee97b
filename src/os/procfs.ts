import { readdirSync, readFileSync } from 'node:fs';
import { CpuSet, type CpuSetFormat } from '../cpuset/CpuSet.js';

// Readers of /proc/<pid>/task/<tid>/…: the ground truth for "where does this thread run".
// Each returns null when the thread has gone, so callers can race with exiting threads.

/** Thread ids of a process, or null when the process does not exist. */
export function taskIds(pid: number): number[] | null {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter(Number.isInteger);
  } catch {
    return null;
  }
}

/** `Cpus_allowed_list` of a thread, or null when it has gone. */
export function allowedCpus(pid: number, tid: number): CpuSet | null {
  const text = readText(`/proc/${pid}/task/${tid}/status`);
  if (text === null) return null;
  const m = /^Cpus_allowed_list:\s*(.*)$/m.exec(text);
  return m ? CpuSet.parse(m[1]!, 'list') : null;
}

/** A thread's name (`comm`), or null when it has gone. */
export function threadName(pid: number, tid: number): string | null {
  const text = readText(`/proc/${pid}/task/${tid}/comm`);
  return text === null ? null : text.replace(/\n$/, '');
}

/** Fields of `/proc/…/stat` after the `)` that ends the name (names may contain spaces and parens). */
export function statFields(pid: number, tid: number): string[] | null {
  const text = readText(`/proc/${pid}/task/${tid}/stat`);
  if (text === null) return null;
  return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
}

/** The CPU a thread last ran on (stat field 39), or null. */
export function lastCpu(pid: number, tid: number): number | null {
  const f = statFields(pid, tid);
  // Field 39 overall; fields after ')' start at field 3.
  const v = f?.[39 - 3];
  return v === undefined ? null : Number(v);
}

/** utime+stime of a thread in clock ticks (stat fields 14 and 15), or null. */
export function cpuTicks(pid: number, tid: number): number | null {
  const f = statFields(pid, tid);
  if (!f || f.length < 13) return null;
  return Number(f[14 - 3]) + Number(f[15 - 3]);
}

/** A thread's line of `/proc/…/stat`, read once: its state, last CPU and CPU time. */
export interface ThreadStat {
  /** State letter (field 3): `R` running, `S` sleeping, `D` waiting on I/O, `Z` zombie, `T` stopped … */
  readonly state: string;
  /** CPU it last ran on (field 39), or null. */
  readonly lastCpu: number | null;
  /** utime + stime in clock ticks (fields 14 and 15), or null. */
  readonly cpuTicks: number | null;
}

/** What `/proc/…/stat` says of a thread (one read), or null when it has gone. */
export function threadStat(pid: number, tid: number): ThreadStat | null {
  const f = statFields(pid, tid);
  if (f === null || f[0] === undefined || f[0] === '') return null;
  const cpu = f[39 - 3];
  return { state: f[0], lastCpu: cpu === undefined ? null : Number(cpu), cpuTicks: f.length < 13 ? null : Number(f[14 - 3]) + Number(f[15 - 3]) };
}

/** `se.nr_migrations` from `/proc/…/sched`, or null when the kernel does not show it. */
export function migrations(pid: number, tid: number): number | null {
  const text = readText(`/proc/${pid}/task/${tid}/sched`);
  if (text === null) return null;
  const m = /^se\.nr_migrations\s*:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** CPUs listed in a sysfs file like `/sys/devices/system/cpu/online`, or null (missing or unreadable). */
export function readCpuListFile(path: string): CpuSet | null {
  return parseSysfsCpus(readText(path), 'list');
}

/** CPUs of a sysfs mask file like `cpumap` or `thread_siblings` (`ff,00000003`), or null. */
export function readCpuMaskFile(path: string): CpuSet | null {
  return parseSysfsCpus(readText(path), 'mask');
}

/**
 * CPUs of a sysfs cpumask attribute that exists in two forms: `<dir>/<mask>` (e.g. `cpumap`,
 * `core_siblings`) and `<dir>/<list>` (e.g. `cpulist`, `core_siblings_list`). The mask is read
 * first, as hwloc does; the list when the mask is missing, unreadable or truncated. `alt` names an
 * older pair to try after both (e.g. `thread_siblings` after `core_cpus`).
 */
export function readCpuPair(dir: string, mask: string, list: string, ...alt: string[]): CpuSet | null {
  const names = [mask, list, ...alt];
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '\0') continue; // a name the caller knows is absent
    const cpus = parseSysfsCpus(readText(`${dir}/${names[i]}`), i % 2 === 0 ? 'mask' : 'list');
    if (cpus !== null) return cpus;
  }
  return null;
}

/**
 * Parses a sysfs CPU file's text. Old kernels and copies made with `cat` may end a file with NUL
 * bytes or cut it short: text after a NUL is dropped, and a file that no longer parses (a list
 * ending in `-` or `,`, an odd mask) is null so the caller can fall back, never guess.
 */
function parseSysfsCpus(text: string | null, format: 'list' | 'mask'): CpuSet | null {
  if (text === null) return null;
  const nul = text.indexOf('\0');
  const t = (nul >= 0 ? text.slice(0, nul) : text).trim();
  if (t === '') return format === 'list' ? CpuSet.EMPTY : null;
  try {
    return CpuSet.parse(t, format);
  } catch {
    return null;
  }
}

/** A file's text, or null when it cannot be read (gone, missing, a directory): the one reader of /proc and /sys. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Parses a CPU list or mask typed by a user, with the kernel's `N` and `all` meaning this machine's
 * last possible CPU (as in the kernel's cpumasks, whose size is the possible CPUs); sysfs is read
 * only when the text uses them.
 */
export function parseUserCpus(text: string, format: CpuSetFormat = 'auto'): CpuSet {
  if (format === 'mask' || !/N|all/i.test(text)) return CpuSet.parse(text, format);
  const possible = readCpuListFile('/sys/devices/system/cpu/possible') ?? readCpuListFile('/sys/devices/system/cpu/present');
  const last = possible?.last;
  return CpuSet.parse(text, format, last === undefined || last === null ? {} : { lastCpu: last });
}
