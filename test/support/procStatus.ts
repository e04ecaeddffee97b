import { readdirSync, readFileSync } from 'node:fs';

/** `Cpus_allowed_list` of every thread of `pid`, read straight from /proc (the ground truth). */
export function cpusOfEveryThread(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      out.set(Number(t), /^Cpus_allowed_list:\s*(.*)$/m.exec(status)![1]!);
    } catch {
      // thread exited between readdir and read
    }
  }
  return out;
}

/** `Cpus_allowed_list` of one thread. */
export function cpusOfThread(pid: number, tid: number): string {
  const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(.*)$/m.exec(status)![1]!;
}
