import type { Command } from 'commander';

/** A command module: one file per subcommand, each exporting `command()`. */
export interface CommandModule {
  command(): Command;
}

/**
 * Every subcommand of corepin, in the order `corepin --help` lists them: the one list that `main`
 * dispatches on and `corepin completion` generates its scripts from, so a command added here is
 * both runnable and completed. Modules load only when named, so `corepin -p PID` starts fast.
 */
export const COMMANDS = {
  threads: () => import('./threads.js'),
  topo: () => import('./topo.js'),
  plan: () => import('./plan.js'),
  report: () => import('./report.js'),
  watch: () => import('./watch.js'),
  exec: () => import('./exec.js'),
  map: () => import('./map.js'),
  demo: () => import('./demo.js'),
  completion: () => import('./completion.js'),
  worker: () => import('./worker.js'),
  fleet: () => import('./fleet.js'),
} as const satisfies Record<string, () => Promise<CommandModule>>;

/** The name of a subcommand. */
export type CommandName = keyof typeof COMMANDS;

/** Whether `name` is a subcommand (and not, say, `constructor` or a taskset operand). */
export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** A fresh commander `Command` for one subcommand. */
export async function loadCommand(name: CommandName): Promise<Command> {
  return (await COMMANDS[name]()).command();
}

/** Every subcommand, in registry order. */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all((Object.keys(COMMANDS) as CommandName[]).map(loadCommand));
}
