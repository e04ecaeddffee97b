import { readFileSync } from 'node:fs';
import type { BindingReport } from './report/BindingReport.js';
import { ReportFileError } from './ReportFileError.js';

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
