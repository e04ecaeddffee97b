import { readFileSync, readdirSync } from 'node:fs';

/** Peak resident set of this process so far (getrusage ru_maxrss), in bytes. */
export function selfPeakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** A `kB` field of `/proc/<pid>/status` (e.g. `VmRSS`, `VmHWM` = peak RSS) in bytes, or null when gone. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Open file descriptors of this process (entries of /proc/self/fd). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Bytes as MB with one decimal. */
export function mb(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MB`;
}
