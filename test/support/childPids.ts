import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose parent is `pid`, found by scanning /proc/<pid>/stat (works without CONFIG_PROC_CHILDREN). */
export function childPids(pid: number = process.pid): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat !== null && stat.ppid === pid && stat.state !== 'Z') out.push(Number(name));
  }
  return out;
}

/** State letter, parent pid and start time (clock ticks since boot) of a process, or null when it is gone. */
export function procStat(pid: number): { state: string; ppid: number; starttime: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), starttime: Number(fields[19]) };
}

/**
 * Whether the process that had `pid` and `starttime` still runs: false once it has exited, even
 * as a zombie nobody reaped, or when the pid now belongs to another process.
 */
export function stillRunning(pid: number, starttime: number): boolean {
  const s = procStat(pid);
  return s !== null && s.starttime === starttime && s.state !== 'Z' && s.state !== 'X';
}
