import { CorepinError } from '../errors.js';

/** A file given to `corepin report` is missing or is not a report saved by `--report FILE`. */
export class ReportFileError extends CorepinError {
  /** The file named. */
  readonly file: string;
  constructor(file: string, why: string) {
    super('ERR_REPORT_FILE', `cannot read report ${file}: ${why}; give a PID or a file written by \`corepin map|exec --report FILE\``);
    this.file = file;
  }
}
