import { CorepinError } from '../errors.js';

/** An input or output file named on the command line cannot be opened. */
export class InputFileError extends CorepinError {
  /** The file named. */
  readonly file: string;
  constructor(file: string, why: string) {
    super('ERR_INPUT_FILE', `cannot open ${file}: ${why}; check the path given to --input/--output`);
    this.file = file;
  }
}
