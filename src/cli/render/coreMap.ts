import type { CpuLayout } from '../report/CpuLayout.js';

/**
 * One character per PU, cores separated by `/`, one bracket per package, in the style of
 * `mpirun --report-bindings`: `[B./..][../..]`. `mark(cpu)` gives each PU's character.
 */
export function coreMap(layout: CpuLayout, mark: (cpu: number) => string): string {
  return layout.map((cores) => `[${cores.map((pus) => pus.map(mark).join('')).join('/')}]`).join('');
}

/** The binding map of one set of CPUs: `B` where bound, `.` elsewhere. */
export function bindingMap(layout: CpuLayout, bound: { has(cpu: number): boolean }): string {
  return coreMap(layout, (cpu) => (bound.has(cpu) ? 'B' : '.'));
}
