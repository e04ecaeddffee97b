import { execFileSync } from 'node:child_process';

let ticks: number | undefined;

/**
 * Clock ticks per second of `/proc/…/stat` times (USER_HZ), the unit of `ThreadInfo.cpuTicks`:
 * `getconf CLK_TCK`, read once; 100 (the value on every common architecture) when getconf is missing.
 *
 * @example
 * ```ts
 * import { threadsOf, clockTicks } from 'corepin';
 * for (const t of threadsOf(process.pid)) console.log(t.name, (t.cpuTicks ?? 0) / clockTicks(), 'CPU seconds');
 * ```
 */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      ticks = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}
