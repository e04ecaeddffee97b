import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/test/install → ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What `npm pack --json` says of the tarball. */
export interface Packed {
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly string[];
}

/** Packs the repository as it would be published (dist/ must be built; no scripts run). */
export function packRepo(dir: string): Packed {
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  return { tarball: join(dir, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files.map((f) => f.path).sort() };
}

/** A temp dir. */
export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `corepin-${name}-${process.pid}-`));
}

/**
 * A PATH holding only sh, node, npm and taskset (symlinks): what a slim container image has (npm runs
 * scripts with sh). No g++, make or python3, so nothing can be compiled.
 */
export function barePath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync('/bin/sh', join(bin, 'sh'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(realpathSync(which('npm')), join(bin, 'npm'));
  const taskset = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).stdout.trim();
  if (taskset !== '') symlinkSync(taskset, join(bin, 'taskset'));
  return bin;
}

/**
 * A fresh consumer project `dir/name`: an ESM package.json that approves the install script of the
 * corepin tarball `tarball` (recent npm asks every project to approve its dependencies' install
 * scripts in `allowScripts`; a tarball's key is its file: URL).
 */
export function freshProject(dir: string, tarball: string, name = 'project'): string {
  const project = join(dir, name);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', allowScripts: { [`file:${tarball}`]: true } }));
  return project;
}

/** An environment with only PATH, HOME and TMPDIR: none of the npm_config_* of the npm running the tests. */
export function cleanEnv(path: string): NodeJS.ProcessEnv {
  return { PATH: path, HOME: process.env['HOME'] ?? '/root', TMPDIR: tmpdir() };
}

/** `npm install ARGS` in `project`; returns status, combined output and the time it took (ms). */
export function npmInstall(project: string, args: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string; ms: number } {
  const npm = realpathSync(which('npm'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [npm, 'install', ...args, '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], { cwd: project, env, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`, ms: performance.now() - t0 };
}

/** What the probe script reports: its thread, the .node files it has mapped, and its stderr. */
export interface Probe {
  readonly pid: number;
  readonly tid: number;
  readonly addons: readonly string[];
  /** Cpus_allowed_list of the probe's thread, read by the test from /proc while the probe waits. */
  readonly cpusSeen: string;
  readonly stderr: string;
}

const PROBE = `
import { pin, currentThreadId } from 'corepin';
import { readFileSync } from 'node:fs';
pin('thread', process.argv[1]);
const addons = [...new Set(readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/).pop()).filter((f) => f.endsWith('.node')))];
process.stdout.write(JSON.stringify({ tid: currentThreadId(), addons }) + '\\n');
process.stdin.once('data', () => process.exit(0));
`;

/**
 * Runs `import { pin } from 'corepin'` in `project` with `command` (a node, or qemu and a node), pins
 * its thread to `cpu` with the native backend forced, and reads that thread back from /proc while it
 * waits.
 */
export async function probe(project: string, command: readonly string[], cpu: number, env: NodeJS.ProcessEnv): Promise<Probe> {
  const child = spawn(command[0]!, [...command.slice(1), '--input-type=module', '-e', PROBE, String(cpu)], { cwd: project, env: { ...env, COREPIN_BACKEND: 'native' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`probe exited ${code} before reporting: ${stderr.trim()}`)));
  });
  const { tid, addons } = JSON.parse(line) as { tid: number; addons: string[] };
  const { cpusOfThread } = await import('../support/procStatus.js');
  const cpusSeen = cpusOfThread(child.pid!, tid);
  child.stdin.end('done\n');
  await new Promise((r) => child.once('exit', r));
  return { pid: child.pid!, tid, addons, cpusSeen, stderr };
}

function which(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v "$0"`, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} is not on PATH`);
  return r.stdout.trim();
}
