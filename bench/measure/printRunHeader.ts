import { formatMachineLine, machineInfo } from './machineInfo.js';
import { dropSlowStartEnv } from './dropSlowStartEnv.js';

/** Prints the machine line and, when it applied, the environment note: the top of every long run. */
export function printRunHeader(): void {
  console.log(formatMachineLine(machineInfo()));
  const envNote = dropSlowStartEnv();
  if (envNote) console.log(`note: ${envNote}`);
}

/** The integers 0 … n-1, lazily: the input of the streaming runs. */
export function* countTo(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
