import { threadsOf } from '../affinity.js';
import { pinnableCpus } from '../os/pinnableCpus.js';
import { threadName } from '../os/procfs.js';
import type { BindingReport } from './report/BindingReport.js';
import { machineLayout } from './machineLayout.js';
import { settingsOfThread } from './settingsOfThread.js';

/** The binding report of a running process: one entry per thread. @throws {NoSuchProcessError} */
export function reportOfProcess(pid: number): BindingReport {
  const threads = threadsOf(pid);
  return {
    corepinReport: 1,
    subject: `pid ${pid} (${threadName(pid, pid) ?? '?'})`,
    usable: pinnableCpus(pid).cpus.toList(),
    layout: machineLayout(),
    entries: threads.map((t) => ({
      slot: null,
      pid,
      tid: t.tid,
      name: t.name,
      cpus: t.cpus.toList(),
      lastCpu: t.lastCpu,
      migrations: t.migrations,
      verified: null,
      ...settingsOfThread(pid, t.tid),
    })),
  };
}
