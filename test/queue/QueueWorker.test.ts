import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { submit, JobFailedError, type JobResult, type SubmitResult } from '../../src/queue/index.js';
import { startHost, type TestHost } from './queueHost.js';
import { redisMissing, startRedis, type TestRedis } from './redisServer.js';
import { JOBS, runLog, startTwoHosts, uniqueQueue, waitForFleet } from './queueTestKit.js';

const missing = redisMissing();
const hostOf = (pid: number): string => `${hostname()}:${pid}`;

async function collect(queue: string, fn: string, inputs: unknown[], url: string, onResult?: (n: number) => void | Promise<void>, extra = {}): Promise<SubmitResult[]> {
  const out: SubmitResult[] = [];
  for await (const r of submit(queue, fn, inputs, { connection: url, wait: true, module: 'jobs.mjs', ...extra })) {
    out.push(r);
    await onResult?.(out.length);
  }
  return out;
}

function ok(r: SubmitResult): JobResult {
  if (r instanceof JobFailedError) assert.fail(`job ${r.jobId} failed: ${r.message}`);
  return r;
}

async function obliterate(queue: string, url: string): Promise<void> {
  const q = new Queue(queue, { connection: { url } });
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
}

// Each test has its own time bound (generous: the shared CI machine can be loaded); the suites only a wide one.
describe('queue hosts on a real redis-server', { skip: missing ?? false, timeout: 900_000 }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.remove();
  });

  test('5000 jobs over two one-CPU hosts: every result right and in order, on its host\'s CPU; both hosts worked; fleet shows them', { timeout: 240_000 }, async (t) => {
    const queue = uniqueQueue('spread');
    const two = await startTwoHosts(['--queue', queue, '--redis', redis.url, '--heartbeat-ttl', '1500', JOBS]);
    if (typeof two === 'string') return t.skip(two);
    t.diagnostic(`hosts confined by ${two.confinement}`);
    try {
      const inputs = Array.from({ length: 5000 }, (_, i) => i);
      const results = (await collect(queue, 'default', inputs, redis.url)).map(ok);
      assert.equal(results.length, 5000);
      const cpuOf = new Map(two.hosts.map((h, i) => [hostOf(h.pid), two.cpus[i]!]));
      const perHost = new Map<string, number>();
      results.forEach((r, i) => {
        assert.equal(r.value, i * i, `result ${i} in input order`);
        const cpus = cpuOf.get(r.host);
        assert.ok(cpus !== undefined, `result ${i} from a known host (${r.host})`);
        assert.equal(r.cpus, cpus, `result ${i}: its slot's CPUs are its host's`);
        assert.equal(String(r.cpu), cpus, `result ${i} ran on its host's CPU`);
        perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
      });
      t.diagnostic(`jobs per host: ${JSON.stringify(Object.fromEntries(perHost))}`);
      assert.equal(perHost.size, 2, 'both hosts did work');
      const { status, after } = await waitForFleet(queue, redis.url, (s) => s.hosts.length === 2 && s.hosts.reduce((n, h) => n + h.done, 0) === 5000, 5000);
      assert.ok(after !== null, `fleet shows both hosts and 5000 jobs done: ${JSON.stringify(status)}`);
      for (const h of status.hosts) {
        assert.equal(h.capacity, 1);
        // Default prefetch = 2 jobs per slot: the slot's next job is at hand and one more waits on the host,
        // so a slot is fed from the host's own queue, not from the Redis round trip of the last result.
        assert.equal(h.concurrency, 3, `${h.host} holds 1 slot + 2 prefetched jobs`);
        assert.deepEqual(h.slots.map((s) => [s.cpus, s.verified]), [[cpuOf.get(h.host), true]], `${h.host}'s slot binding`);
      }
      assert.equal(status.counts.completed, 5000);
      assert.equal(status.counts.failed, 0);
    } finally {
      await two.stop();
      await obliterate(queue, redis.url);
    }
  });

  test('a host SIGKILLed mid-run: every job completes, only the jobs it was running ran twice, and fleet forgets it within its TTL', { timeout: 180_000 }, async (t) => {
    const queue = uniqueQueue('kill');
    const log = runLog();
    const ttl = 1500;
    const two = await startTwoHosts(['--queue', queue, '--redis', redis.url, '--lock-duration', '4000', '--stalled-interval', '1000', '--heartbeat-ttl', String(ttl), JOBS], { QUEUE_RUN_LOG: log.path });
    if (typeof two === 'string') return t.skip(two);
    const [victim, survivor] = two.hosts;
    let killedAt = 0;
    let gone: Promise<{ after: number | null; hosts: string[] }> | null = null;
    try {
      const inputs = Array.from({ length: 300 }, (_, x) => ({ x, ms: 15 }));
      const results = (
        await collect(queue, 'slow', inputs, redis.url, (n) => {
          if (n === 100) {
            victim.kill();
            killedAt = Date.now();
            // Watched from the kill on: the dead host must leave fleet within its TTL (slack for a loaded machine).
            gone = waitForFleet(queue, redis.url, (s) => s.hosts.length === 1 && s.hosts[0]!.host === hostOf(survivor.pid), ttl + 3000).then((g) => ({
              after: g.after,
              hosts: g.status.hosts.map((h) => h.host),
            }));
          }
        })
      ).map(ok);
      assert.ok(killedAt > 0, 'the host was killed mid-run');
      results.forEach((r, x) => assert.equal(r.value, x * x, `job ${x} completed with its result`));
      const victimPids = new Set(results.filter((r) => r.host === hostOf(victim.pid)).map((r) => r.pid));
      const runs = log.runs();
      let twice = 0;
      for (let x = 0; x < 300; x++) {
        const pids = runs.get(String(x)) ?? [];
        const onVictim = pids.filter((p) => victimPids.has(p)).length;
        if (results[x]!.host === hostOf(victim.pid)) assert.deepEqual(pids.length, 1, `job ${x} finished on the killed host before it died: ran once`);
        else if (onVictim > 0) {
          assert.deepEqual([pids.length, onVictim], [2, 1], `job ${x} was running on the killed host: it ran there once and once again`);
          twice++;
        } else assert.equal(pids.length, 1, `job ${x} never touched the killed host: ran once`);
      }
      t.diagnostic(`${twice} job(s) were running on the killed host and ran again on the other`);
      assert.ok(twice <= 2, 'at most 2 ran twice: the one running on its 1 slot and one whose result was on its way to Redis (prefetched jobs never started there)');
      const left = await gone!;
      assert.ok(left.after !== null, `the dead host left fleet: ${JSON.stringify(left.hosts)}`);
      t.diagnostic(`dead host gone from fleet ${left.after} ms after the kill (TTL ${ttl} ms)`);
    } finally {
      await two.stop();
      log.remove();
      await obliterate(queue, redis.url);
    }
  });

  test('SIGTERM: the host finishes its running jobs, exits 0, nothing fails or runs twice', { timeout: 180_000 }, async (t) => {
    const queue = uniqueQueue('term');
    const log = runLog();
    const two = await startTwoHosts(['--queue', queue, '--redis', redis.url, '--heartbeat-ttl', '1500', JOBS], { QUEUE_RUN_LOG: log.path });
    if (typeof two === 'string') return t.skip(two);
    const [leaving] = two.hosts;
    try {
      const inputs = Array.from({ length: 24 }, (_, x) => ({ x, ms: 150 }));
      let termed = false;
      const results = await collect(queue, 'slow', inputs, redis.url, (n) => {
        if (n === 2 && !termed) {
          termed = true;
          leaving.child.kill('SIGTERM');
        }
      });
      const exit = await leaving.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `the host exits 0 after SIGTERM: ${leaving.stderr()}`);
      assert.match(leaving.stderr(), /finishing the running ones/);
      results.map(ok).forEach((r, x) => assert.equal(r.value, x * x));
      for (const [x, pids] of log.runs()) assert.equal(pids.length, 1, `job ${x} ran once`);
      assert.equal(log.runs().size, 24);
    } finally {
      await two.stop();
      log.remove();
      await obliterate(queue, redis.url);
    }
  });

  test('Ctrl-C (SIGINT to the host\'s whole process group, its slots too): running jobs finish, exit 0, none runs twice', { timeout: 180_000 }, async () => {
    const queue = uniqueQueue('ctrlc');
    const log = runLog();
    const args = ['--queue', queue, '--redis', redis.url, '-j', '1', '--heartbeat-ttl', '1500', JOBS];
    const host = startHost(args, { QUEUE_RUN_LOG: log.path }, undefined, true);
    let rest: TestHost | null = null;
    try {
      await host.ready;
      const inputs = Array.from({ length: 6 }, (_, x) => ({ x, ms: 200 }));
      const results = await collect(queue, 'slow', inputs, redis.url, (n) => {
        if (n === 1 && rest === null) {
          process.kill(-host.pid, 'SIGINT'); // what a terminal's Ctrl-C does: the host and its slot processes
          rest = startHost(args, { QUEUE_RUN_LOG: log.path });
        }
      });
      const exit = await host.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `the host exits 0 after Ctrl-C: ${host.stderr()}`);
      assert.match(host.stderr(), /SIGINT: taking no more jobs, finishing the running ones/);
      results.map(ok).forEach((r, x) => assert.equal(r.value, x * x));
      for (const [x, pids] of log.runs()) assert.equal(pids.length, 1, `job ${x} ran once (its slot was not killed by the Ctrl-C)`);
      assert.equal(log.runs().size, 6);
    } finally {
      host.kill();
      (rest as TestHost | null)?.kill();
      log.remove();
      await obliterate(queue, redis.url);
    }
  });

  test('bad jobs: a missing export, another module, a throwing task (attempts apply) fail their job; a crashed worker is retried; the host goes on', { timeout: 180_000 }, async () => {
    const queue = uniqueQueue('bad');
    const log = runLog();
    const flags = mkdtempSync(join(tmpdir(), `corepin-flag-${process.pid}-`));
    const host = startHost(['--queue', queue, '--redis', redis.url, '-j', '1', JOBS], { QUEUE_RUN_LOG: log.path });
    try {
      await host.ready;
      const [nope] = await collect(queue, 'nope', [1], redis.url);
      assert.ok(nope instanceof JobFailedError);
      assert.match(nope.message, /module "jobs\.mjs" has no function export "nope" \(its exports: .*default.*\)/);
      const [other] = await collect(queue, 'default', [1], redis.url, undefined, { module: 'other.mjs' });
      assert.ok(other instanceof JobFailedError);
      assert.match(other.message, /the job is for module "other\.mjs" but this host serves "jobs\.mjs"/);
      const [thrown] = await collect(queue, 'fail', [7], redis.url, undefined, { jobOptions: { attempts: 3, backoff: { type: 'fixed', delay: 10 } } });
      assert.ok(thrown instanceof JobFailedError);
      assert.equal(thrown.message, 'no square for 7');
      assert.equal(log.runs().get('7')?.length, 3, 'BullMQ attempts: the task ran 3 times');
      const [crashed] = await collect(queue, 'crashOnce', [{ x: 8, flag: join(flags, 'crashed') }], redis.url);
      assert.equal(ok(crashed).value, 64, 'a job whose worker crashed is run again (default attempts: 1)');
      assert.equal(log.runs().get('8')?.length, 2);
      const good = (await collect(queue, 'default', [1, 2, 3], redis.url)).map(ok);
      assert.deepEqual(good.map((r) => r.value), [1, 4, 9], 'the host goes on');
      assert.equal(host.child.exitCode, null);
    } finally {
      host.kill();
      await host.exited;
      log.remove();
      rmSync(flags, { recursive: true, force: true });
      await obliterate(queue, redis.url);
    }
  });
});

describe('queue hosts ride out a Redis restart (append-only file on)', { skip: missing ?? false, timeout: 300_000 }, () => {
  test('Redis restarted mid-run: hosts reconnect and go on; no job is lost', { timeout: 240_000 }, async (t) => {
    const redis = await startRedis(true);
    const queue = uniqueQueue('restart');
    // A job handed out as Redis went down (its reply lost, the move kept by the AOF) is active with no
    // host: it comes back through stalled-job recovery, so short lock and check intervals keep this in seconds.
    const two = await startTwoHosts(['--queue', queue, '--redis', redis.url, '--lock-duration', '5000', '--stalled-interval', '1000', '--heartbeat-ttl', '1500', JOBS]);
    if (typeof two === 'string') {
      await redis.remove();
      return t.skip(two);
    }
    try {
      let restartedAt = 0;
      const inputs = Array.from({ length: 300 }, (_, x) => ({ x, ms: 4 }));
      const results = (
        await collect(queue, 'slow', inputs, redis.url, async (n) => {
          if (n === 100) {
            await redis.stop();
            await new Promise((r) => setTimeout(r, 1000));
            await redis.restart();
            restartedAt = Date.now();
          }
        })
      ).map(ok);
      assert.ok(restartedAt > 0);
      results.forEach((r, x) => assert.equal(r.value, x * x, `job ${x}`));
      const live = await waitForFleet(queue, redis.url, (s) => s.hosts.length === 2 && s.hosts.every((h) => h.updatedAt > restartedAt), 8000);
      assert.ok(live.after !== null, `both hosts beat again after the restart: ${JSON.stringify(live.status.hosts.map((h) => h.host))}`);
      for (const h of two.hosts) assert.equal(h.child.exitCode, null, 'host still running');
    } finally {
      await two.stop();
      await obliterate(queue, redis.url);
      await redis.remove();
    }
  });
});
