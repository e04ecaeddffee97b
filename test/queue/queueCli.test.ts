import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CLI, oneLine } from '../support/cli.js';
import { startHost } from './queueHost.js';
import { redisMissing, startRedis, type TestRedis } from './redisServer.js';
import { JOBS, uniqueQueue } from './queueTestKit.js';

const NO_BULLMQ = fileURLToPath(new URL('../../../test/fixtures/queue/noBullmq.mjs', import.meta.url));
const missing = redisMissing();

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI (async, so the test's own Redis clients keep working), killed after `guardMs`. */
function run(args: string[], input = '', env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = [], guardMs = 120_000): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [...nodeArgs, CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => c.kill('SIGKILL'), guardMs);
    c.stdin.end(input);
    c.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('corepin worker / map --queue / fleet', { skip: missing ?? false, timeout: 600_000 }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.remove();
  });

  test('map --queue writes the same JSON Lines as a local map, in input order; --keep-going records failures and exits 3', { timeout: 240_000 }, async () => {
    const queue = uniqueQueue('climap');
    const host = startHost(['--queue', queue, '--redis', redis.url, '-j', '2', JOBS]);
    try {
      await host.ready;
      const input = Array.from({ length: 200 }, (_, i) => String(i)).join('\n') + '\n';
      const remote = await run(['map', JOBS, '--queue', queue, '--redis', redis.url, '--progress', 'none'], input);
      assert.equal(remote.status, 0, remote.stderr);
      const local = await run(['map', JOBS, '-j', '2', '--progress', 'none'], input);
      assert.equal(remote.stdout, local.stdout, 'same output as the local map');
      const chunked = await run(['map', JOBS, '--queue', queue, '--redis', redis.url, '--chunksize', '7', '--progress', 'none'], input);
      assert.equal(chunked.status, 0, chunked.stderr);
      assert.equal(chunked.stdout, local.stdout, '--chunksize 7 (29 jobs): the same output');
      assert.match(remote.stderr, /200 inputs .* on queue ".*": 200 ok, 0 failed/);
      const kept = await run(['map', JOBS, '--fn', 'fail', '--queue', queue, '--redis', redis.url, '--keep-going', '--progress', 'none'], '1\n2\n');
      assert.equal(kept.status, 3, kept.stderr);
      assert.deepEqual(kept.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), [
        { line: 1, error: { name: 'JobFailedError', message: 'no square for 1', code: 'ERR_QUEUE_JOB_FAILED' } },
        { line: 2, error: { name: 'JobFailedError', message: 'no square for 2', code: 'ERR_QUEUE_JOB_FAILED' } },
      ]);
      const stopped = await run(['map', JOBS, '--fn', 'fail', '--queue', queue, '--redis', redis.url, '--progress', 'none'], '5\n');
      assert.equal(stopped.status, 1);
      assert.ok(oneLine(stopped.stderr), stopped.stderr);
      assert.match(stopped.stderr, /no square for 5/);
      const fleet = await run(['fleet', '--queue', queue, '--redis', redis.url]);
      assert.equal(fleet.status, 0, fleet.stderr);
      assert.match(fleet.stdout, new RegExp(`^queue ${queue}: 0 waiting, 0 active, 0 delayed, 3 failed, 229 completed`));
      assert.match(fleet.stdout, /1 live host, 2 slots/);
      assert.match(fleet.stdout, /slot 1 {2}cpus \S+ {2}pid \d+ {2}verified/);
    } finally {
      host.kill();
      await host.exited;
    }
  });

  test('host-side options with map --queue are refused, pointing at corepin worker', async () => {
    const r = await run(['map', JOBS, '--queue', 'x', '--redis', redis.url, '-j', '2', '--cpus', '0']);
    assert.equal(r.status, 2);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /-j, --cpus apply to the hosts with --queue: give them to `corepin worker` instead/);
  });
});

test('unreachable Redis: worker, map --queue and fleet print one line naming the URL and exit 1, no hang', async () => {
  const url = `redis://127.0.0.1:${await closedPort()}`;
  const runs = await Promise.all([
    run(['worker', JOBS, '--queue', 'q', '--redis', url], '', {}, [], 20_000),
    run(['map', JOBS, '--queue', 'q', '--redis', url, '--progress', 'none'], '1\n', {}, [], 20_000),
    run(['fleet', '--queue', 'q'], '', { REDIS_URL: url }, [], 20_000),
  ]);
  for (const r of runs) {
    assert.equal(r.status, 1, `exit 1 (not killed by the 20 s guard): ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.ok(r.stderr.includes(`cannot reach Redis at ${url} (connection refused)`), r.stderr);
  }
});

test('bullmq missing: one line naming the install command', async () => {
  const r = await run(['fleet', '--queue', 'q', '--redis', 'redis://127.0.0.1:1'], '', {}, ['--import', NO_BULLMQ]);
  assert.equal(r.status, 1, r.stderr);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, /corepin\/queue needs bullmq: install it with `npm install bullmq ioredis`/);
});
