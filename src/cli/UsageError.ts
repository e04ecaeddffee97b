import { CorepinError } from '../errors.js';

/** The command line is wrong; the CLI prints the message and exits with code 2. */
export class UsageError extends CorepinError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}
