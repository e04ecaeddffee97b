import { Command } from 'commander';
import { threadsOf } from '../../affinity.js';
import { parsePid } from '../args.js';

/** `corepin threads PID`: every thread with its allowed CPUs, last CPU and migrations. */
export function command(): Command {
  return new Command('threads')
    .description('show every thread of a process: name, allowed CPUs, last CPU, migrations')
    .argument('<pid>', 'process id')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  corepin threads $(pgrep -n node)\n  corepin threads 1234 --json')
    .action((pidText: string, opts: { json?: boolean }) => {
      const threads = threadsOf(parsePid(pidText));
      if (opts.json) {
        // The documented fields only (ThreadInfo's state and cpuTicks are for `watch` and library users).
        process.stdout.write(`${JSON.stringify(threads.map((t) => ({ tid: t.tid, name: t.name, cpus: t.cpus.toList(), lastCpu: t.lastCpu, migrations: t.migrations })))}\n`);
        return;
      }
      const rows = [['TID', 'NAME', 'CPUS', 'LAST', 'MIGRATIONS'], ...threads.map((t) => [String(t.tid), t.name, t.cpus.toList(), String(t.lastCpu ?? '-'), String(t.migrations ?? '-')])];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`);
    });
}
