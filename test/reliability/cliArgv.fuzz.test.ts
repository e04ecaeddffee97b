import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/cli/errors.js';
import { CLI } from '../support/cli.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

/*
 * Seeded fuzz over the CLI's argv: random and mutated command lines drawn from the real commands,
 * flags and values. Each outcome must be a documented exit code, at most one clear line on stderr
 * for a failure, never a stack trace and never a hang.
 *
 * Safety (the fuzzer runs real code as root): every token of the vocabulary is harmless in any
 * position. Commands to launch resolve through a PATH holding only `true` and `false`; absolute
 * paths point into a scratch directory or nowhere; the cwd is the scratch directory (so `--svg x`
 * or `-o x` write there); pids are only our own sleeping child, its zombie child, a reaped pid or
 * numbers above pid_max; a small count (1, 2, 4) is allowed only right after a count flag, and
 * `harmless()` re-checks every generated argv before it is run.
 */

const RUNS = 300;
const CONCURRENCY = 3;
/** An invocation still running after this long has hung (the slowest honest case, `map`, takes ~1 s). */
const HANG_MS = 20_000;
/** `watch PID` runs until its target exits, by design: it gets Ctrl-C after this long … */
const WATCH_INTERRUPT_MS = 1_500;
/** … and must be gone this long after it. */
const WATCH_STOP_MS = 5_000;
/** "One clear line": longer than this is not read by anyone. */
const MAX_LINE = 1_000;
/** A memory blow-up is a failure too; cap the heap so it shows fast and spares the machine. */
const HEAP_MB = 384;

/** Every code src/cli/exitCodes.ts documents (a launched `true`/`false` passes 0/1 through). */
const DOCUMENTED = new Set<number>(Object.values(ExitCode));

const COMMANDS = ['threads', 'topo', 'plan', 'report', 'watch', 'exec', 'map', 'completion', 'help'];
const FLAGS = [
  '-a', '-p', '-c', '-ac', '-pc', '-apc', '-cp', '--all-tasks', '--pid', '--cpu-list', '--json', '-h', '--help', '-V',
  '--version', '--', '-', '-j', '--jobs', '--policy', '--cpus', '-i', '--input', '-o', '--output', '--kind', '--fn',
  '--chunksize', '--max-tasks-per-child', '--unordered', '--keep-going', '--report', '--progress', '-k', '--keep-order',
  '--shell', '-n', '--workers', '--reserve', '--no-smt', '--list', '--fsroot', '--synthetic', '--svg', '--interval',
  '--once', '-x', '--bogus', '-pz',
];
/** Flags whose value is a count; only they may be followed by a small number. */
const COUNT_FLAGS = new Set(['-j', '--jobs', '-n', '--workers', '--chunksize', '--max-tasks-per-child', '--interval']);
const SMALL_COUNTS = ['1', '2', '4'];
const COUNTS = [...SMALL_COUNTS, '0', '-1', '1.5', 'two', '1000001', '99999999999', '', '0.1'];
const CPUS = [
  '0', '0-1', '0,1', '0x1', '0x3', '0x0', '0-1:1', '0-63:2', 'core:0', 'core:0-1', 'core:1', 'pu:1', 'pu:all', 'pu:odd',
  'numa:0', 'package:0.core:1', 'core:9', 'l3:0', 'die:0', 'machine:0', 'zz:1', '0-4294967296', 'ff', '', '-1', '1-0',
  '0x', '😀', 'core:', 'core:0,,1', '0,core:1', '65535', '0-65535',
];
const POLICIES = ['spread', 'compact', 'cores', 'round-robin', 'l3', 'numa', 'package', 'performance-first', 'list', 'none', 'fastest', ''];
const SPECS = ['package:2 numa:2 l3:2 core:4 pu:2', 'core:4 pu:2', 'package:1 core:2', 'core:0', 'pu:9999', 'core:99999 pu:99999', 'bogus:1', ''];
const LISTS = ['0-1;core:1', '0;1', ';', 'core:0;zz:1', '0-1'];
const KINDS = ['process', 'thread', 'fiber'];
const PROGRESS = ['auto', 'bar', 'lines', 'none', 'fancy'];
const FNS = ['default', 'where', 'picky', 'notAFunction', 'nope', ''];
const SHELLS = ['bash', 'zsh', ''];
const LAUNCHABLE = ['true', 'false', 'no-such-command-corepin', '/nonexistent/cmd'];
/** Characters char-level mutations add: no digits, so a mutation can never make up a pid. */
const NOISE = [...'-,:.= x\t\n%aZ\\"\'*~', 'é', '😀', '\u00a0'];

interface Sandbox {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Pure-digit tokens that may be run: our own processes and pids that cannot exist. */
  readonly safePids: ReadonlySet<string>;
  readonly pids: readonly string[];
  readonly files: readonly string[];
  readonly dirs: readonly string[];
  readonly modules: readonly string[];
  readonly deadPid: string;
  readonly pidMax: number;
  close(): void;
}

async function makeSandbox(): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-argv-fuzz-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of ['true', 'false']) symlinkSync(`/usr/bin/${name}`, join(bin, name));
  const work = join(dir, 'work');
  mkdirSync(work);
  const taskModule = join(work, 'task.mjs');
  copyFileSync(fileURLToPath(new URL('../../../test/fixtures/cli/mapTask.mjs', import.meta.url)), taskModule);
  const fixture = join(work, 'fixture');
  cpSync(fileURLToPath(new URL('../../../test/fixtures/sysfs/intel-2s-smt', import.meta.url)), fixture, { recursive: true });
  writeFileSync(join(work, 'in.jsonl'), '1\n2\n"x"\n{bad\n');
  writeFileSync(join(work, 'lines.txt'), 'a\nb c\n');
  writeFileSync(join(work, 'report.json'), '{"schema":"nope"}');
  writeFileSync(join(work, 'empty'), '');

  // Our own sleeping child, and its child kept as a zombie (its pid cannot be reused while held).
  const sleeper = spawn('/bin/sh', ['-c', 'true & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [chunk] = (await once(sleeper.stdout!, 'data')) as [Buffer];
  const zombie = chunk.toString().trim();
  const dead = spawnSync('/usr/bin/true');
  const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  const beyond = String(Math.max(pidMax, 1_000_000) + 1000); // no such pid, and too big for any count
  const live = String(sleeper.pid);
  const deadPid = String(dead.pid);
  return {
    dir: work,
    env: { PATH: bin, NO_COLOR: '1', HOME: work, LANG: 'C.UTF-8' },
    safePids: new Set([live, zombie, deadPid]),
    pids: [live, live, zombie, deadPid, beyond, '0', 'abc', '-5', '1.5', '0x10', '99999999999999999999', '', 'self'],
    files: [join(work, 'in.jsonl'), join(work, 'lines.txt'), join(work, 'report.json'), join(work, 'empty'), join(work, 'out.svg'), 'rel-out', '/nonexistent/x', work, '-'],
    dirs: [fixture, work, '/nonexistent', '/', join(work, 'empty')],
    modules: [taskModule, `file://${taskModule}`, join(work, 'missing.mjs'), join(work, 'in.jsonl'), 'task.mjs', 'http://example.invalid/x.mjs'],
    deadPid,
    pidMax,
    close() {
      sleeper.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plausible command line for one command, with a fair share of wrong values. */
function structured(r: SeededRandom, s: Sandbox): string[] {
  const maybe = (p: number, ...tokens: string[]): string[] => (r.chance(p) ? tokens : []);
  const opt = (flag: string, values: readonly string[], p = 0.3): string[] => maybe(p, flag, r.pick(values));
  const command = r.pick([...COMMANDS, 'taskset', 'taskset', 'taskset']);
  switch (command) {
    case 'taskset': {
      const flags = maybe(0.5, r.pick(['-a', '-c', '-ac', '--cpu-list', '--all-tasks']));
      if (r.chance(0.5)) return [...flags, r.pick(['-p', '--pid', '-pc', '-apc']), ...maybe(0.6, r.pick(CPUS)), r.pick(s.pids), ...maybe(0.2, '--json')];
      return [...flags, ...maybe(0.3, '-c'), r.pick(CPUS), ...maybe(0.5, '--'), r.pick(LAUNCHABLE), ...maybe(0.3, r.pick(['-x', 'arg', '--json']))];
    }
    case 'threads':
    case 'report':
      return [command, r.chance(0.8) ? r.pick(s.pids) : r.pick(s.files), ...maybe(0.4, '--json')];
    case 'watch':
      return [command, r.pick(s.pids), ...opt(r.pick(['-n', '--interval']), ['0.1', '0.2', '0', '-1', 'abc', '3601', '']), ...maybe(0.7, '--once'), ...maybe(0.4, '--json')];
    case 'topo':
      return [command, ...opt('--fsroot', s.dirs, 0.5), ...opt('--synthetic', SPECS), ...maybe(0.4, '--json'), ...opt('--svg', s.files, 0.2)];
    case 'plan':
      return [
        command, ...opt(r.pick(['-n', '--workers']), COUNTS, 0.9), ...opt('--policy', POLICIES, 0.6), ...opt('--reserve', CPUS), ...maybe(0.2, '--no-smt'),
        ...opt('--list', LISTS, 0.2), ...opt('--fsroot', s.dirs, 0.3), ...opt('--synthetic', SPECS, 0.3), ...maybe(0.3, '--json'), ...opt('--svg', s.files, 0.1),
      ];
    case 'exec':
      return [
        command, ...opt('-j', COUNTS), ...opt('--policy', POLICIES), ...opt('--cpus', CPUS), ...opt(r.pick(['-a', '--input']), s.files, 0.2), ...maybe(0.2, '-k'),
        ...maybe(0.2, '--shell'), ...opt('--progress', PROGRESS, 0.2), ...maybe(0.1, '--report'), ...maybe(0.4, '--'), r.pick(LAUNCHABLE), ...maybe(0.4, '{}'),
      ];
    case 'map':
      return [
        command, r.pick(s.modules), ...opt('--fn', FNS, 0.5), ...opt('-j', COUNTS), ...opt('--policy', POLICIES), ...opt('--cpus', CPUS),
        ...opt('--kind', KINDS), ...opt('--chunksize', COUNTS, 0.2), ...opt('--max-tasks-per-child', COUNTS, 0.2), ...opt(r.pick(['-i', '--input']), s.files, 0.2),
        ...opt(r.pick(['-o', '--output']), s.files, 0.1), ...maybe(0.2, '--unordered'), ...maybe(0.3, '--keep-going'), ...opt('--progress', PROGRESS, 0.2),
      ];
    case 'completion':
      return [command, ...maybe(0.8, r.pick(SHELLS))];
    default:
      return [command, ...maybe(0.5, r.pick(COMMANDS))];
  }
}

function anyToken(r: SeededRandom, s: Sandbox): string {
  const pools = [COMMANDS, FLAGS, FLAGS, CPUS, COUNTS, POLICIES, SPECS, KINDS, PROGRESS, FNS, LAUNCHABLE, s.pids, s.files, s.dirs, s.modules];
  return r.pick(r.pick(pools));
}

function mutateToken(r: SeededRandom, tok: string): string {
  const i = r.int(tok.length + 1);
  switch (r.int(6)) {
    case 0: return tok.slice(0, i) + r.pick(NOISE) + tok.slice(i);
    case 1: return tok.slice(0, i) + tok.slice(i + 1);
    case 2: return tok.slice(0, i) + r.pick(NOISE) + tok.slice(i + 1);
    case 3: return tok.slice(0, i);
    case 4: return tok.toUpperCase();
    default: return tok + tok;
  }
}

/** Applies 1–3 token-level or char-level mutations. */
function mutated(r: SeededRandom, s: Sandbox, argv: string[]): string[] {
  const out = [...argv];
  for (let n = 1 + r.int(3); n > 0; n--) {
    const i = r.int(out.length + 1);
    switch (r.int(7)) {
      case 0: out.splice(i, 1); break;
      case 1: out.splice(i, 0, anyToken(r, s)); break;
      case 2: if (i < out.length) out[i] = anyToken(r, s); break;
      case 3: if (i < out.length) out.splice(i, 0, out[i]!); break;
      case 4: { const j = r.int(out.length); if (i < out.length) [out[i], out[j]] = [out[j]!, out[i]!]; break; }
      case 5: if (i < out.length) out[i] = mutateToken(r, out[i]!); break;
      default: out.splice(i, 0, '--');
    }
  }
  return out;
}

/**
 * The guard: true when no token can name a process other than ours, and no count is large enough
 * to start a flood of workers.
 */
function harmless(argv: readonly string[], s: Sandbox): boolean {
  return argv.every((tok, i) => {
    if (/\0/.test(tok)) return false;
    if (/^-[a-zA-Z]*\d/.test(tok) || /=.*\d/.test(tok)) return false;
    if (!/^\s*\+?\d+\s*$/.test(tok)) return true;
    const n = Number(tok);
    // Zero and numbers past pid_max and past every count limit name no process and start nothing.
    if (n === 0 || n > Math.max(s.pidMax, 1_000_000)) return true;
    const afterCount = COUNT_FLAGS.has(argv[i - 1] ?? '');
    if (afterCount) return SMALL_COUNTS.includes(tok);
    return s.safePids.has(tok);
  });
}

function generate(r: SeededRandom, s: Sandbox): string[] {
  for (;;) {
    const kind = r.next();
    const argv = kind < 0.4 ? structured(r, s) : kind < 0.85 ? mutated(r, s, structured(r, s)) : Array.from({ length: 1 + r.int(6) }, () => anyToken(r, s));
    if (harmless(argv, s)) return argv;
  }
}

interface Outcome {
  argv: string[];
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  hung: boolean;
  interrupted: boolean;
}

function run(argv: string[], s: Sandbox): Promise<Outcome> {
  // A reaped pid could in principle be reused by another process: never aim at one that came back.
  if (argv.includes(s.deadPid) && existsSync(`/proc/${s.deadPid}`)) argv = argv.map((t) => (t === s.deadPid ? '99999999999999999999' : t));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...argv], { cwd: s.dir, env: s.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    let interrupted = false;
    // The beginning is what matters (the first line); cap what is kept.
    child.stdout.setEncoding('utf8').on('data', (d: string) => stdout.length < 100_000 && (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => stderr.length < 100_000 && (stderr += d));
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
    child.stdin.end('1\n2\n3\n');
    const timers: NodeJS.Timeout[] = [];
    if (argv[0] === 'watch') {
      timers.push(setTimeout(() => {
        interrupted = true;
        child.kill('SIGINT');
        timers.push(setTimeout(() => ((hung = true), child.kill('SIGKILL')), WATCH_STOP_MS));
      }, WATCH_INTERRUPT_MS));
    } else {
      timers.push(setTimeout(() => ((hung = true), child.kill('SIGKILL')), HANG_MS));
    }
    child.on('close', (status, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ argv, status, signal, stdout, stderr, hung, interrupted });
    });
  });
}

/** What is wrong with an outcome, or null. */
function problem(o: Outcome): string | null {
  if (o.hung) return 'hung (killed after the time limit)';
  const both = o.stdout + o.stderr;
  if (/\n\s+at /.test(both)) return 'stack trace in the output';
  if (/FATAL ERROR|unexpected error|COREPIN_DEBUG/.test(both)) return 'internal error escaped';
  if (o.interrupted) {
    // Ctrl-C: a clean exit, 130, or death by SIGINT (which shells also report as 130).
    if (o.signal === 'SIGINT' || o.status === 0 || o.status === ExitCode.INTERRUPTED) return null;
    // On a loaded machine Ctrl-C can land while a bad `watch` command line is still being refused:
    // then it is judged like any other failure below (documented code, one clear line).
    if (o.status === null || o.status === ExitCode.OK || o.status === ExitCode.PARTIAL) return `after Ctrl-C ended with ${o.status ?? o.signal}`;
  }
  if (o.status === null) return `killed by ${o.signal}`;
  if (!DOCUMENTED.has(o.status)) return `undocumented exit code ${o.status}`;
  if (o.status !== ExitCode.OK && o.status !== ExitCode.PARTIAL) {
    const lines = o.stderr.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) return `${lines.length} lines on stderr for a failure`;
    if (lines.length === 1 && !lines[0]!.startsWith('corepin')) return 'stderr line does not start with "corepin"';
    if (lines.length === 1 && lines[0]!.length > MAX_LINE) return `a ${lines[0]!.length}-character error line`;
  }
  return null;
}

test(`CLI argv fuzz: ${RUNS} random and mutated command lines end with a documented code, one clear line, no trace, no hang`, async (t) => {
  const r = seededRandom(6006);
  const s = await makeSandbox();
  try {
    const cases = Array.from({ length: RUNS }, () => generate(r, s));
    for (const argv of cases) assert.ok(harmless(argv, s), `guard: ${JSON.stringify(argv)}`);
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) outcomes.push(await run(cases[next++]!, s));
      }),
    );
    const bad = outcomes.map((o) => ({ o, why: problem(o) })).filter((x) => x.why !== null);
    const codes = new Map<string, number>();
    for (const o of outcomes) codes.set(String(o.status ?? o.signal), (codes.get(String(o.status ?? o.signal)) ?? 0) + 1);
    t.diagnostic(`seed ${r.seed}; exit codes: ${[...codes].map(([c, n]) => `${c}×${n}`).join(' ')}`);
    // The fuzz must reach past the parser: real successes, usage errors and user errors all occur.
    for (const code of [ExitCode.OK, ExitCode.FAILURE, ExitCode.USAGE]) assert.ok((codes.get(String(code)) ?? 0) > 0, `no run ended with ${code}`);
    assert.deepEqual(
      bad.slice(0, 10).map(({ o, why }) => `${why}: corepin ${o.argv.map((a) => JSON.stringify(a)).join(' ')} → ${o.status ?? o.signal}; stderr: ${o.stderr.slice(0, 300)}`),
      [],
      `${bad.length} of ${RUNS} runs misbehaved (seed ${r.seed}; replay with COREPIN_FUZZ_SEED)`,
    );
  } finally {
    s.close();
  }
});
