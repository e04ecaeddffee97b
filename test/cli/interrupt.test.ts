import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/cli/errors.js';
import { CLI } from '../support/cli.js';

const TASK = fileURLToPath(new URL('../../../test/fixtures/cli/mapTask.mjs', import.meta.url));

/** Runs the CLI with stdin left open, collecting its output. */
function start(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  // An interrupted run stops reading its input: the rest of it meets a closed pipe.
  child.stdin.on('error', () => {});
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return { child, out: () => out, err: () => err };
}

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('exec: Ctrl-C stops the run, the running job gets SIGTERM, exit 130', async () => {
  const run = start(['exec', '-j', '1', '--progress', 'none', '--', 'sleep', '{}']);
  run.child.stdin.end('30\n30\n');
  await until('the first job to start', () => childrenOf(run.child.pid!).length > 0);
  const started = Date.now();
  run.child.kill('SIGINT');
  const [code] = (await once(run.child, 'exit')) as [number | null];
  assert.equal(code, ExitCode.INTERRUPTED, run.err());
  assert.ok(Date.now() - started < 20_000, 'the running sleep 30 was terminated, not waited for');
  assert.match(run.err(), /job 1 \(slot 0\) "30": killed by SIGTERM/);
  assert.doesNotMatch(run.err(), /job 2/, 'no job started after the interrupt');
});

test('map: SIGTERM stops the run with complete lines written, in order, and exit 130', async () => {
  const n = 200_000;
  const run = start(['map', TASK, '-j', '1', '--progress', 'none']);
  run.child.stdin.end(`${Array.from({ length: n }, (_, i) => i + 1).join('\n')}\n`);
  await until('the first results', () => run.out().split('\n').length >= 3);
  run.child.kill('SIGTERM');
  const [code] = (await once(run.child, 'exit')) as [number | null];
  assert.equal(code, ExitCode.INTERRUPTED, run.err());
  assert.match(run.err(), /^corepin map: interrupted; the results written so far are complete lines/m);
  const out = run.out();
  assert.ok(out.endsWith('\n'), 'the last line written is complete');
  const lines = out.slice(0, -1).split('\n');
  assert.ok(lines.length < n, `stopped early (${lines.length} of ${n})`);
  assert.deepEqual(lines, lines.map((_, i) => String((i + 1) ** 2)));
});
