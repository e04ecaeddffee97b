import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PuFacts } from './buildTopology.js';
import { readInt } from './readCpuFacts.js';

/**
 * What cpufreq says about one CPU, in kHz: `maxKhz` is `cpufreq/cpuinfo_max_freq` (the hardware
 * maximum, turbo included), `baseKhz` `cpufreq/base_frequency` (intel_pstate), else
 * `acpi_cppc/nominal_freq`, null when neither exists.
 */
export type CpuFrequency = NonNullable<PuFacts['frequency']>;

/**
 * Reads the maximum and base frequency of each CPU in `cpus` (online CPUs), the way hwloc's Linux
 * backend does for CPU kinds: `cpuN/cpufreq/cpuinfo_max_freq`, and as base `cpufreq/base_frequency`
 * or, where that file does not exist, `cpuN/acpi_cppc/nominal_freq` (MHz; 0 means unknown).
 *
 * Kinds need the frequency of every CPU, so this returns null as soon as one CPU has no readable
 * maximum. Which base file is used is decided by the first CPU; a CPU without it drops the base of
 * every CPU (only the maxima are then compared), as hwloc does.
 */
export function readCpuFrequencies(cpuDir: string, cpus: readonly number[]): Map<number, CpuFrequency> | null {
  const first = cpus[0];
  // Checked once: most machines without cpufreq (VMs, containers on some hosts) stop here.
  if (first === undefined || !existsSync(join(cpuDir, `cpu${first}`, 'cpufreq', 'cpuinfo_max_freq'))) return null;
  const baseFile = existsSync(join(cpuDir, `cpu${first}`, 'cpufreq', 'base_frequency'))
    ? { path: 'cpufreq/base_frequency', khzPer: 1 }
    : existsSync(join(cpuDir, `cpu${first}`, 'acpi_cppc', 'nominal_freq'))
      ? { path: 'acpi_cppc/nominal_freq', khzPer: 1000 }
      : null;
  const max = new Map<number, number>();
  const base = new Map<number, number>();
  let withBase = baseFile !== null;
  for (const cpu of cpus) {
    const dir = join(cpuDir, `cpu${cpu}`);
    const m = readInt(join(dir, 'cpufreq', 'cpuinfo_max_freq'));
    if (m === null || m <= 0) return null;
    max.set(cpu, m);
    if (!withBase) continue;
    const b = readInt(join(dir, baseFile!.path));
    if (b === null || b <= 0) withBase = false;
    else base.set(cpu, b * baseFile!.khzPer);
  }
  return new Map(cpus.map((cpu) => [cpu, { maxKhz: max.get(cpu)!, baseKhz: withBase ? base.get(cpu)! : null }]));
}
