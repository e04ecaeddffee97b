import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as a user runs it: `node dist/src/cli/main.js …`. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Runs the CLI to completion with optional stdin text. */
export function corepin(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, env: { ...process.env, ...env }, timeout: 120_000 });
}

/** Runs the CLI asynchronously (so the test's event loop keeps running, e.g. to serve a watched child). */
export function corepinAsync(args: string[], input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.stdin.end(input ?? '');
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Whether stderr is exactly one line starting with `corepin: ` (no stack trace). */
export function oneLine(stderr: string): boolean {
  const lines = stderr.split('\n').filter((l) => l !== '');
  return lines.length === 1 && lines[0]!.startsWith('corepin: ') && !/\n\s+at /.test(stderr);
}
