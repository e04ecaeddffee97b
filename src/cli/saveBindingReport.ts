import { writeFileSync } from 'node:fs';
import type { BindingReport } from './report/BindingReport.js';
import { renderBindingReport } from './report/renderBindingReport.js';

/**
 * What `--report [FILE]` does after a run: with no file, draws the report on stderr (stdout carries
 * the results); with a file, saves it as JSON for `corepin report FILE`.
 */
export function saveBindingReport(report: BindingReport, file: string | true): void {
  if (file === true) process.stderr.write(`\n${renderBindingReport(report)}`);
  else writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
