import { readFileSync, readdirSync } from 'node:fs';

/** Jiffies of the whole machine from the `cpu` line of /proc/stat. */
export interface MachineCpuTime {
  /** Busy jiffies summed over all CPUs: user, nice, system, irq, softirq and steal (time the hypervisor gave to others). */
  readonly busy: number;
  /** All jiffies summed over all CPUs (busy + idle + iowait): per CPU, wall time in jiffies. */
  readonly total: number;
}

/** Parses the aggregate `cpu` line of /proc/stat (guest time is already inside user and nice). */
export function parseProcStat(text: string): MachineCpuTime {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no aggregate "cpu" line');
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** One process from /proc/<pid>/stat: its parent and its CPU time, own and of its reaped children. */
export interface ProcCpu {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime (all its threads) + cutime + cstime (children it has waited for), in jiffies. */
  readonly jiffies: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields are counted after the last ')'. */
export function parsePidStat(text: string): ProcCpu | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // After ')': state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
  const f = text.slice(close + 2).split(' ');
  const n = (i: number): number => Number(f[i - 3] ?? 0);
  return { pid, ppid: n(4), jiffies: n(14) + n(15) + n(16) + n(17) };
}

/**
 * CPU jiffies used so far by the process tree under `root` (itself and every live descendant, each
 * with the time of the children it reaped). A descendant that exits and is waited for moves its time
 * into its parent's cutime/cstime, so the sum keeps growing smoothly; a descendant whose parent dies
 * first is re-parented out of the tree and stops counting (the suite waits for what it starts).
 */
export function treeJiffies(root: number, procs: readonly ProcCpu[]): number {
  const children = new Map<number, ProcCpu[]>();
  let self: ProcCpu | undefined;
  for (const p of procs) {
    if (p.pid === root) self = p;
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  if (!self) return 0;
  let sum = 0;
  const todo: ProcCpu[] = [self];
  const seen = new Set<number>();
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    sum += p.jiffies;
    for (const c of children.get(p.pid) ?? []) todo.push(c);
  }
  return sum;
}

/** Every process's /proc/<pid>/stat that can still be read (processes exit while we look). */
export function readAllProcs(): ProcCpu[] {
  const out: ProcCpu[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const p = parsePidStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (p) out.push(p);
    } catch {
      // Gone between readdir and read: it was not ours to count anyway, or its time is now its parent's.
    }
  }
  return out;
}

/** A snapshot of the machine's and the tree's CPU time, to be differenced with the next one. */
export interface CpuSnapshot {
  readonly machine: MachineCpuTime;
  readonly tree: number;
}

/** Reads /proc/stat and the tree of `root` (default: this process) right now. */
export function cpuSnapshot(root = process.pid): CpuSnapshot {
  const machine = parseProcStat(readFileSync('/proc/stat', 'utf8'));
  return { machine, tree: treeJiffies(root, readAllProcs()) };
}

/** CPUs kept busy between two snapshots: by everything, by the tree, and by other work (everything − tree, never below 0). */
export interface CpuUse {
  readonly busyCpus: number;
  readonly treeCpus: number;
  readonly otherCpus: number;
}

/** Turns two snapshots into CPUs of work; jiffies cancel out (total ÷ CPU count is the interval in jiffies). */
export function cpuUse(a: CpuSnapshot, b: CpuSnapshot, cpus: number): CpuUse {
  const perCpu = (b.machine.total - a.machine.total) / cpus;
  if (perCpu <= 0) return { busyCpus: 0, treeCpus: 0, otherCpus: 0 };
  const busyCpus = (b.machine.busy - a.machine.busy) / perCpu;
  const treeCpus = Math.max(0, b.tree - a.tree) / perCpu;
  return { busyCpus, treeCpus, otherCpus: Math.max(0, busyCpus - treeCpus) };
}
