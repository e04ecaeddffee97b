import { pinnableCpus } from '../../affinity.js';
import { readTopology } from '../../topology/readTopology.js';
import type { Topology } from '../../topology/Topology.js';

/**
 * The machine's CPUs grouped as a core map draws them: packages, then cores, then the OS numbers of
 * each core's PUs. Kept as plain arrays so a saved report can carry it and be drawn elsewhere.
 */
export type CpuLayout = number[][][];

/** The layout of a topology, PUs in tree order (SMT siblings together). */
export function layoutOf(topology: Topology): CpuLayout {
  const packages = new Map<string, Map<string, number[]>>();
  for (const pu of topology.pusInTreeOrder()) {
    const pkg = String(pu.package ?? 'unknown');
    // A PU whose core is unknown is drawn as a core of its own.
    const core = pu.core === null ? `cpu${pu.cpu}` : String(pu.core);
    const cores = packages.get(pkg) ?? new Map<string, number[]>();
    packages.set(pkg, cores);
    cores.set(core, [...(cores.get(core) ?? []), pu.cpu]);
  }
  return [...packages.values()].map((cores) => [...cores.values()]);
}

/** A layout for CPUs with nothing known about them: one package, one core per CPU. */
export function flatLayout(cpus: Iterable<number>): CpuLayout {
  return [[...cpus].map((c) => [c])];
}

/** Every CPU of a layout, in drawing order. */
export function layoutCpus(layout: CpuLayout): number[] {
  return layout.flat(2);
}

/**
 * This machine's layout for core maps; when sysfs has no topology, the CPUs this process could be
 * pinned to as plain cores (a report must still be drawn on a machine whose topology cannot be read;
 * readTopology fails only when sysfs lists no CPU, so that is usually none).
 */
export function machineLayout(): CpuLayout {
  try {
    return layoutOf(readTopology());
  } catch {
    return flatLayout(pinnableCpus('self').cpus);
  }
}

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
