import { readFileSync } from 'node:fs';
import os from 'node:os';
import { usableCpus } from '../../src/index.js';

/** The machine a run was made on: what the line at the top of every table says. */
export interface MachineInfo {
  readonly cpuModel: string;
  /** Logical CPUs the machine has. */
  readonly cpus: number;
  /** CPUs this process may use (affinity ∩ cgroup cpuset ∩ online), as a list. */
  readonly usable: string;
  readonly node: string;
  readonly kernel: string;
  /** `3.11.7 (fork)`, null when Python was skipped, undefined when Python plays no part (soak, memory). */
  readonly python?: string | null;
  /** 1-minute load average when the run started: a busy machine gives noisy numbers. */
  readonly loadavg: number;
}

/** Reads the machine info; `python` comes from the Python peer's own report. */
export function machineInfo(python?: string | null): MachineInfo {
  let cpuModel = os.cpus()[0]?.model.trim() ?? '';
  try {
    cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // Keep os.cpus()'s answer.
  }
  return {
    cpuModel: cpuModel || 'unknown CPU',
    cpus: os.cpus().length,
    usable: usableCpus().toList(),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    python,
    loadavg: os.loadavg()[0]!,
  };
}

/** One line: `AMD EPYC · 2 CPUs (usable 0-1) · Linux 6.8 · Node v20.20.2 · Python 3.11.7 (fork) · load 0.4`. */
export function formatMachineLine(m: MachineInfo): string {
  return [
    m.cpuModel,
    `${m.cpus} CPUs (usable ${m.usable})`,
    m.kernel,
    `Node ${m.node}`,
    ...(m.python === undefined ? [] : [m.python ? `Python ${m.python}` : 'no Python']),
    `load ${m.loadavg.toFixed(2)} at start${m.loadavg > m.cpus ? ` (noisy: above ${m.cpus} CPUs)` : ''}`,
  ].join(' · ');
}
