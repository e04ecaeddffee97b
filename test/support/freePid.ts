import { existsSync, readFileSync } from 'node:fs';

/** A pid inside the kernel's range that no process has right now (for "no such process" cases). */
export function freePid(): number {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  for (let pid = max - 1; pid > 1; pid--) if (!existsSync(`/proc/${pid}`)) return pid;
  throw new Error('every pid is in use');
}
