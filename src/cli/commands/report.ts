import { Command } from 'commander';
import { loadBindingReport } from '../report/BindingReport.js';
import { parsePid } from '../args.js';
import { renderBindingReport } from '../report/renderBindingReport.js';
import { reportOfProcess } from '../report/reportOf.js';

/** `corepin report PID|FILE`: where every thread of a process (or every slot of a saved run) is bound. */
export function command(): Command {
  return new Command('report')
    .description('binding report of a process (every thread), or of a run saved by map/exec --report FILE')
    .argument('<pid|file>', 'process id, or a JSON report saved by `corepin map|exec --report FILE`')
    .option('--json', 'print the report as JSON (the same schema as saved reports)')
    .addHelpText(
      'after',
      `
The map shows each package in brackets, cores separated by /, one character per PU
(hardware thread): B = may run there, . = may not, as mpirun --report-bindings does.

Examples:
  corepin report $(pgrep -n node)
  corepin report 1234 --json
  corepin map task.mjs --input in.jsonl --report run.json > out.jsonl && corepin report run.json`,
    )
    .action((what: string, opts: { json?: boolean }) => {
      const report = /^\d+$/.test(what) ? reportOfProcess(parsePid(what)) : loadBindingReport(what);
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : renderBindingReport(report));
    });
}
