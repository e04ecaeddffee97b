import { execFileSync } from 'node:child_process';

let ticks: number | undefined;

/**
 * Clock ticks per second of `/proc/…/stat` times (USER_HZ): `getconf CLK_TCK`, read once; 100 (the
 * value on every common architecture) when getconf is missing.
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
