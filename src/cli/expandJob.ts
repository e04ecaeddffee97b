import { SHELL_SCRIPT_NAME, shellScript } from './run/shellScript.js';

/** A command ready to launch: argv, never a shell string (except the one `--shell` asks for). */
export interface JobArgv {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Builds one job's argv from the command template and one input line, as xargs -I / GNU parallel do:
 * every `{}` in every argument is replaced by the line, byte for byte (one argv element stays one
 * element, so spaces, quotes and `$&` in the line are data, never syntax); with no `{}` anywhere,
 * the line is appended as the last argument.
 *
 * With `shell`, the job is `/bin/sh -c SCRIPT corepin-exec LINE` (the only place corepin uses a
 * shell): the line is the script's `$1`, never part of the script text; see {@link shellScript}.
 *
 * @throws {UsageError} with `shell`, when the template's `{}` cannot be rewritten safely.
 */
export function expandJob(template: readonly string[], line: string, shell = false): JobArgv {
  if (shell) return { command: '/bin/sh', args: ['-c', shellScript(template), SHELL_SCRIPT_NAME, line] };
  const has = template.some((w) => w.includes('{}'));
  // split/join, not replaceAll: a replacement string would give `$&`, `$$`, `` $` ``, `$'` in the line a meaning.
  const argv = has ? template.map((w) => w.split('{}').join(line)) : [...template, line];
  return { command: argv[0]!, args: argv.slice(1) };
}
