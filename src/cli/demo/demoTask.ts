import { readFileSync, readlinkSync } from 'node:fs';

/** One demo task: count the primes in [from, to). */
export interface PrimeRange {
  readonly from: number;
  readonly to: number;
}

/** What a demo task returns: the count, and where the worker ran (read from /proc by the worker itself). */
export interface PrimeCount {
  readonly from: number;
  readonly primes: number;
  /** CPU the worker's thread was on when it finished (`/proc/thread-self/stat` field 39). */
  readonly cpu: number;
  /** OS thread id of the worker thread that ran it. */
  readonly tid: number;
}

/**
 * The demo's CPU-bound task (a task module for the pool): counts primes in a range by trial
 * division by odd numbers — pure integer work, no memory traffic, so the only thing that moves is
 * the scheduler.
 */
export function countPrimes(range: PrimeRange): PrimeCount {
  let primes = 0;
  for (let n = Math.max(2, range.from); n < range.to; n++) {
    if (n < 4) {
      primes++;
      continue;
    }
    if (n % 2 === 0) continue;
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes++;
  }
  return { from: range.from, primes, cpu: currentCpu(), tid: Number(readlinkSync('/proc/thread-self').split('/').pop()) };
}

function currentCpu(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[39 - 3]);
}
