import type { CpuSet } from '../cpuset/CpuSet.js';

/** A running watch; `stop()` ends it. */
export interface UsableCpusWatch {
  stop(): void;
}

/**
 * Reads the usable CPUs every `intervalMs` and calls `onChange(now, before)` when they differ — a
 * cgroup cpuset rewritten (as Kubernetes does when it hands out exclusive CPUs), a CPU taken offline
 * or brought back. Polling covers all of these (inotify would miss CPU hotplug and a change made to
 * a parent cgroup). The timer never keeps the process alive; a read that fails is skipped.
 */
export function watchUsableCpus(read: () => CpuSet, intervalMs: number, onChange: (now: CpuSet, before: CpuSet) => void): UsableCpusWatch {
  let last: CpuSet | null = null;
  try {
    last = read();
  } catch {
    // first good read sets it
  }
  const timer = setInterval(() => {
    let now: CpuSet;
    try {
      now = read();
    } catch {
      return;
    }
    const before = last;
    last = now;
    if (before !== null && !now.equals(before)) onChange(now, before);
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
