#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CorepinError } from '../errors.js';
import { ExitCode, exitCodeOf } from './errors.js';
import { COMMANDS, isCommandName, loadCommand, type CommandName } from './commands/commandRegistry.js';
import { runTaskset } from './commands/taskset.js';

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (isCommandName(first)) {
    // A root named `corepin` so help reads `Usage: corepin map [options] …`.
    const root = new Command('corepin').enablePositionalOptions().exitOverride().configureOutput({ outputError: () => {} });
    const cmd = (await loadCommand(first)).exitOverride().configureOutput({ outputError: () => {} });
    root.addCommand(cmd);
    await root.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  }
  if (first === 'help' || first === '--help' || first === '-h' || argv.length === 0) {
    process.stdout.write(await helpText());
    return argv.length === 0 ? ExitCode.USAGE : ExitCode.OK;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`corepin ${await version()}\n`);
    return ExitCode.OK;
  }
  return runTaskset(argv);
}

async function helpText(): Promise<string> {
  const names = Object.keys(COMMANDS) as CommandName[];
  const descriptions = await Promise.all(names.map(async (n) => (await loadCommand(n)).description()));
  const width = Math.max(...names.map((n) => n.length));
  return `Usage:
  corepin [options] [mask | cpu-list] [pid | cmd [args...]]   taskset-compatible
  corepin <command> [options]

Pin processes and threads to CPUs, see the machine, run pinned pools.

Taskset-compatible options:
  -a, --all-tasks      operate on all the tasks (threads) of a pid
  -p, --pid            operate on an existing pid
  -c, --cpu-list       the affinity is a list (0-3,8 | 0-31:2 | core:0-1) rather than a mask
  --json               machine-readable output
  -h, --help           this help;  -V, --version  the version

Commands:
${names.map((n, i) => `  ${n.padEnd(width)}  ${descriptions[i]}`).join('\n')}
  (corepin <command> --help for each)

Examples:
  corepin -p 1234              show the affinity of pid 1234
  corepin -a -pc 0-1 1234      pin every thread of pid 1234 to CPUs 0 and 1
  corepin -c 0 -- node job.js  run a command pinned to CPU 0
`;
}

async function version(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The message on one line: commander puts "(Did you mean --json?)" on a line of its own, and
 * messages quoting user input may carry the input's newlines.
 */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Prints one line for any error and returns the exit code; stacks only with COREPIN_DEBUG=1. */
function report(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
    process.stderr.write(`corepin: ${oneLine(err.message.replace(/^error: /, ''))}\n`);
    return ExitCode.USAGE;
  }
  if (process.env['COREPIN_DEBUG'] === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  if (err instanceof CorepinError) {
    process.stderr.write(`corepin: ${oneLine(err.message)}\n`);
    return exitCodeOf(err);
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`corepin: unexpected error: ${msg.split('\n')[0]} (set COREPIN_DEBUG=1 for details)\n`);
  return ExitCode.FAILURE;
}

// `corepin … | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.OK);
    // `map` writing results here listens too and stops the run with a one-line error of its own.
    if (stream.listenerCount('error') > 1) return;
    if (stream === process.stdout) process.stderr.write(`corepin: cannot write to stdout: ${err.message.replace(/^[A-Z]+: /, '')}\n`);
    process.exit(ExitCode.FAILURE);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
