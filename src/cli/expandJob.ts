/** A command ready to launch: argv, never a shell string (except the one `--shell` asks for). */
export interface JobArgv {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Builds one job's argv from the command template and one input line, as xargs -I / GNU parallel do:
 * every `{}` in every argument is replaced by the line (one argv element stays one element, so
 * spaces and quotes in the line are data, never syntax); with no `{}` anywhere, the line is
 * appended as the last argument.
 *
 * With `shell`, the template words are joined by spaces into one script run as
 * `/bin/sh -c SCRIPT` (the only place corepin uses a shell), and the line is put in single quotes
 * where `{}` stands, so it still cannot inject shell syntax.
 */
export function expandJob(template: readonly string[], line: string, shell = false): JobArgv {
  if (shell) {
    const script = template.join(' ');
    const quoted = `'${line.replaceAll("'", `'\\''`)}'`;
    return { command: '/bin/sh', args: ['-c', script.includes('{}') ? script.replaceAll('{}', quoted) : `${script} ${quoted}`] };
  }
  const has = template.some((w) => w.includes('{}'));
  const argv = has ? template.map((w) => w.replaceAll('{}', line)) : [...template, line];
  return { command: argv[0]!, args: argv.slice(1) };
}
