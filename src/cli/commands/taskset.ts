import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { affinityOf, pin, threadsOf } from '../../affinity.js';
import type { CpuSet } from '../../cpuset/CpuSet.js';
import { NoSuchProcessError } from '../../errors.js';
import { ExitCode, UsageError } from '../errors.js';
import { parsePid, resolveCpusArgument, applyLaunchSched, launchSettingsOf, type LaunchFlags, takeLaunchFlag } from '../args.js';
import { SlotSettings } from '../../launch/SlotSettings.js';
import { spawnPlaced } from '../../launch/spawnPlaced.js';
import { threadEnv } from '../../launch/threadEnv.js';
import { readTopology } from '../../topology/readTopology.js';

interface TasksetArgs {
  all: boolean;
  pid: boolean;
  list: boolean;
  json: boolean;
  rest: string[];
  /** Launch mode's --mem, --nice, --sched, --no-thread-env. */
  launch: LaunchFlags;
}

/**
 * taskset-compatible mode: `corepin [-a] [-c] -p [mask|list] PID` shows or sets;
 * `corepin [-c] mask|list [--] COMMAND [ARGS…]` launches. Flags are parsed up to the first
 * operand, like taskset (getopt with `+`), so the command's own flags are passed untouched.
 */
export async function runTaskset(argv: string[]): Promise<number> {
  const a = parseFlags(argv);
  return a.pid ? await showOrSet(a) : await launch(a);
}

function parseFlags(argv: string[]): TasksetArgs {
  const out: TasksetArgs = { all: false, pid: false, list: false, json: false, rest: [], launch: {} };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--')) {
      const used = takeLaunchFlag(argv, i, out.launch);
      if (used > 0) {
        i += used - 1;
        continue;
      }
      const long: Record<string, keyof Omit<TasksetArgs, 'rest'>> = { '--all-tasks': 'all', '--pid': 'pid', '--cpu-list': 'list', '--json': 'json' };
      const key = long[arg];
      if (!key) throw new UsageError(`unknown option ${arg}; see corepin --help`);
      out[key] = true;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (const ch of arg.slice(1)) {
        if (ch === 'a') out.all = true;
        else if (ch === 'p') out.pid = true;
        else if (ch === 'c') out.list = true;
        else throw new UsageError(`unknown option -${ch}; see corepin --help`);
      }
      continue;
    }
    break;
  }
  out.rest = argv.slice(i);
  return out;
}

async function showOrSet(a: TasksetArgs): Promise<number> {
  if (Object.keys(a.launch).length > 0) throw new UsageError('--mem, --nice, --sched and --no-thread-env apply to launching a command (corepin -c LIST --mem bind -- cmd), not to -p');
  // `--json` may also follow the operands in -p mode (there is no command whose flags it could be).
  if (a.rest[a.rest.length - 1] === '--json') {
    a.json = true;
    a.rest = a.rest.slice(0, -1);
  }
  if (a.rest.length === 0 || a.rest.length > 2) throw new UsageError('with -p give [mask|list] PID, e.g. corepin -p 1234 or corepin -pc 0-3 1234');
  const pidText = a.rest[a.rest.length - 1]!;
  const pid = parsePid(pidText);
  const word = a.list ? 'list' : 'mask';
  const fmt = (s: CpuSet): string => (a.list ? formatTasksetList(s) : s.toMask().slice(2));
  const tids = a.all ? threadsOf(pid).map((t) => t.tid) : [pid];
  const target = (tid: number): { tid: number } | number => (a.all ? { tid } : tid);
  const records: { pid: number; tid: number; current: string; new?: string }[] = [];
  const cpus = a.rest.length === 2 ? resolveCpusArgument(a.rest[0]!, a.list) : undefined;
  const lines: string[] = [];
  for (const tid of tids) {
    let current: CpuSet;
    try {
      current = affinityOf(target(tid));
    } catch (err) {
      if (err instanceof NoSuchProcessError && a.all && tid !== pid) continue;
      throw err;
    }
    const rec: { pid: number; tid: number; current: string; new?: string } = { pid, tid, current: current.toList() };
    lines.push(`pid ${tid}'s current affinity ${word}: ${fmt(current)}`);
    if (cpus) {
      const now = pin(target(tid), cpus);
      rec.new = now.toList();
      lines.push(`pid ${tid}'s new affinity ${word}: ${fmt(now)}`);
    }
    records.push(rec);
  }
  process.stdout.write(a.json ? `${JSON.stringify(a.all ? records : records[0])}\n` : `${lines.join('\n')}\n`);
  return ExitCode.OK;
}

async function launch(a: TasksetArgs): Promise<number> {
  const [spec, ...rest] = a.rest;
  // `corepin -c LIST --mem bind -- cmd`: launch flags may also follow the list (no command starts with them).
  let after = rest;
  for (let used; after.length > 0 && (used = takeLaunchFlag(after, 0, a.launch)) > 0; ) after = after.slice(used);
  const cmdArgs = after[0] === '--' ? after.slice(1) : after;
  if (spec === undefined || cmdArgs.length === 0) {
    throw new UsageError('give a mask or list and a command, e.g. corepin -c 0-1 -- node job.js; or -p PID to show a process');
  }
  const cpus = resolveCpusArgument(spec, a.list);
  const [command, ...args] = cmdArgs as [string, ...string[]];
  if (command === '') {
    // spawn('') throws instead of failing like a missing file; answer as taskset (execvp) does.
    process.stderr.write(`corepin: failed to execute '': No such file or directory\n`);
    return ExitCode.NOT_FOUND;
  }
  // Memory policy, nice/sched and thread counts from birth (see launchFlags, spawnPlaced).
  const settings = new SlotSettings(launchSettingsOf(a.launch), () => readTopology());
  applyLaunchSched(settings.settings);
  const env = settings.settings.threadEnv ? { ...process.env, ...threadEnv(cpus, process.env) } : process.env;
  const child = spawnPlaced(cpus, settings.memoryFor(cpus), command, args, { stdio: 'inherit', env });
  return await waitForChild(child, command);
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

function waitForChild(child: ChildProcess, command: string): Promise<number> {
  return new Promise((resolve) => {
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    for (const s of FORWARDED) process.on(s, forward);
    const done = (code: number): void => {
      for (const s of FORWARDED) process.off(s, forward);
      resolve(code);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      const notFound = err.code === 'ENOENT';
      process.stderr.write(`corepin: failed to execute ${printable(command)}: ${notFound ? 'No such file or directory' : err.code === 'EACCES' ? 'Permission denied' : err.message}\n`);
      done(notFound ? ExitCode.NOT_FOUND : ExitCode.NOT_EXECUTABLE);
    });
    child.once('exit', (code, signal) => {
      if (signal) {
        // Die of the same signal, as an exec'd taskset would.
        for (const s of FORWARDED) process.off(s, forward);
        process.kill(process.pid, signal);
        setTimeout(() => done(128 + (signalNumber(signal) ?? 1)), 100);
        return;
      }
      done(code ?? ExitCode.FAILURE);
    });
  });
}

function signalNumber(sig: NodeJS.Signals): number | undefined {
  return (constants.signals as Record<string, number | undefined>)[sig];
}

/** A command name as typed, quoted when it holds control characters (so the message stays one line). */
function printable(command: string): string {
  return /[\x00-\x1f\x7f]/.test(command) ? JSON.stringify(command) : command;
}

/**
 * A CPU list as util-linux taskset prints it: the kernel's compact list, except that a run of two
 * is written `a,b` (`0,1` where the kernel writes `0-1`), so corepin's output matches taskset's
 * byte for byte.
 */
export function formatTasksetList(set: CpuSet): string {
  return set
    .toList()
    .split(',')
    .map((part) => {
      const [a, b] = part.split('-');
      return b !== undefined && Number(b) === Number(a) + 1 ? `${a},${b}` : part;
    })
    .join(',');
}
