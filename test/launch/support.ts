import { readdirSync, readFileSync } from 'node:fs';

/** Nice (stat field 19), class (`policy` of /proc/…/sched) and numa_maps policy word of a thread, read from /proc. */
export function threadState(pid: number, tid: number): { nice: number; policy: number; mem: string } {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const sched = readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8');
  const maps = readFileSync(`/proc/${pid}/task/${tid}/numa_maps`, 'utf8');
  return { nice: Number(fields[19 - 3]), policy: Number(/^policy\s*:\s*(\d+)/m.exec(sched)![1]), mem: maps.split('\n')[0]!.split(' ')[1]! };
}

/** The same for every thread of `pid` (threads that exit while read are skipped). */
export function everyThreadState(pid: number): Map<number, { nice: number; policy: number; mem: string }> {
  const out = new Map<number, { nice: number; policy: number; mem: string }>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(t), threadState(pid, Number(t)));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** numa_maps writes `prefer`, not `preferred`. */
export const NUMA_MAPS_WORD = { bind: 'bind', preferred: 'prefer', interleave: 'interleave', local: 'local' } as const;
