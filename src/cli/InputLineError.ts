import { CorepinError } from '../errors.js';

/** A line of JSON Lines input is not valid JSON. */
export class InputLineError extends CorepinError {
  /** Where the input came from (`stdin` or the file name). */
  readonly source: string;
  /** 1-based line number. */
  readonly line: number;
  constructor(source: string, line: number, why: string) {
    super('ERR_INPUT_LINE', `${source} line ${line} is not valid JSON (${why}); each line must be one JSON value, e.g. 42, "text" or {"n": 1}`);
    this.source = source;
    this.line = line;
  }
}
