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

/** `se.nr_migrations` from `/proc/…/sched`, or null when the kernel does not show it. */
export function migrations(pid: number, tid: number): number | null {
  const text = readText(`/proc/${pid}/task/${tid}/sched`);
  if (text === null) return null;
  const m = /^se\.nr_migrations\s*:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** CPUs listed in a sysfs file like `/sys/devices/system/cpu/online`, or null. */
export function readCpuListFile(path: string): CpuSet | null {
  const text = readText(path);
  if (text === null) return null;
  const t = text.trim();
  if (t === '') return CpuSet.EMPTY;
  try {
    return CpuSet.parse(t, 'list');
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
