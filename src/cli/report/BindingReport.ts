import { readFileSync, writeFileSync } from 'node:fs';
import { ReportFileError } from '../errors.js';
import type { CpuLayout } from './CpuLayout.js';
import { renderBindingReport } from './renderBindingReport.js';

/** One bound thread or worker in a {@link BindingReport}. */
export interface BindingEntry {
  /** Pool or job slot, null for a plain process's thread. */
  readonly slot: number | null;
  /** Process id. */
  readonly pid: number;
  /** OS thread id, null when the entry stands for a whole process. */
  readonly tid: number | null;
  /** Thread or worker name (`comm`, or the command of a job). */
  readonly name: string;
  /** CPUs it may run on, as a list (`0-3,8`). */
  readonly cpus: string;
  /** CPU it last ran on, null when unknown (exited). */
  readonly lastCpu: number | null;
  /** Migrations counted by the kernel (or since watching began), null when unknown. */
  readonly migrations: number | null;
  /** True when read back from /proc and found inside its slot's set; null when not checked. */
  readonly verified: boolean | null;
  /** Tasks or jobs run in this slot, when the report is of a run. */
  readonly tasks?: number;
  /** Memory policy: as /proc numa_maps shows it for live threads (`default`, `bind:0`, `prefer:0`, `interleave:0-1`, `local`), or the plan applied to a run's slot (`bind:0`, `preferred:0`, `none`). */
  readonly memory?: string;
  /** Why the memory policy differs from what was asked (cpuset.mems fallback). */
  readonly memoryNote?: string;
  /** Nice value. */
  readonly nice?: number;
  /** Scheduling class: `other`, `batch`, `idle` (`fifo`, `rr`, `deadline` for real-time threads). */
  readonly sched?: string;
  /** Pool binding: `slot` (each worker on its slot's CPUs) or `pool` (on the union of the slots). */
  readonly binding?: string;
}

/**
 * Where things ran: what `corepin report` prints and what `map`/`exec --report FILE` save as JSON
 * (`corepin report FILE` draws a saved one).
 */
export interface BindingReport {
  /** Format marker for saved reports. */
  readonly corepinReport: 1;
  /** What is reported: `pid 1234 (node)`, `map task.mjs`, `exec sha256sum`. */
  readonly subject: string;
  /** CPUs the run could use, as a list. */
  readonly usable: string;
  /** The machine's packages → cores → PUs, for the core maps. */
  readonly layout: CpuLayout;
  /** One entry per thread (a process) or per slot (a pool or `exec`). */
  readonly entries: readonly BindingEntry[];
}

/** Reads a report saved by `map`/`exec --report FILE`. @throws {ReportFileError} */
export function loadBindingReport(file: string): BindingReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReportFileError(file, code === 'ENOENT' ? 'no such file' : code ?? String(err));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ReportFileError(file, 'not JSON');
  }
  const r = value as Partial<BindingReport> | null;
  if (r === null || typeof r !== 'object' || r.corepinReport !== 1 || !Array.isArray(r.entries) || !Array.isArray(r.layout)) {
    throw new ReportFileError(file, 'not a corepin binding report');
  }
  return r as BindingReport;
}

/**
 * What `--report [FILE]` does after a run: with no file, draws the report on stderr (stdout carries
 * the results); with a file, saves it as JSON for `corepin report FILE`.
 */
export function saveBindingReport(report: BindingReport, file: string | true): void {
  if (file === true) process.stderr.write(`\n${renderBindingReport(report)}`);
  else writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
