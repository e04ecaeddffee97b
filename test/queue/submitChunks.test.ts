import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { submit, JobFailedError, type JobResult, type SubmitResult } from '../../src/queue/index.js';
import { startHost } from './queueHost.js';
import { redisMissing, startRedis, type TestRedis } from './redisServer.js';
import { JOBS, runLog, startTwoHosts, uniqueQueue } from './queueTestKit.js';

// submit's `chunksize`: several inputs per BullMQ job. Results still come one per input in input
// order; the job is the unit of failure, retry and at-least-once.
const missing = redisMissing();
const hostOf = (pid: number): string => `${hostname()}:${pid}`;

async function collect(queue: string, fn: string, inputs: unknown[], url: string, chunksize: number, onResult?: (n: number) => void | Promise<void>): Promise<SubmitResult[]> {
  const out: SubmitResult[] = [];
  for await (const r of submit(queue, fn, inputs, { connection: url, wait: true, module: 'jobs.mjs', chunksize })) {
    out.push(r);
    await onResult?.(out.length);
  }
  return out;
}

function ok(r: SubmitResult): JobResult {
  if (r instanceof JobFailedError) assert.fail(`input ${r.index} (job ${r.jobId}) failed: ${r.message}`);
  return r;
}

async function withQueue<T>(name: string, url: string, f: (q: Queue) => Promise<T>): Promise<T> {
  const q = new Queue(name, { connection: { url } });
  try {
    return await f(q);
  } finally {
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
}

describe('submit with chunksize on a real redis-server', { skip: missing ?? false, timeout: 600_000 }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.remove();
  });

  test('50 inputs in jobs of 8: one result per input, in order, with where it ran; 7 jobs; a bad input fails exactly its chunk', { timeout: 120_000 }, async () => {
    const queue = uniqueQueue('chunks');
    const log = runLog();
    const host = startHost(['--queue', queue, '--redis', redis.url, '-j', '2', JOBS], { QUEUE_RUN_LOG: log.path });
    try {
      await host.ready;
      await withQueue(queue, redis.url, async (q) => {
        const results = (await collect(queue, 'default', Array.from({ length: 50 }, (_, i) => i), redis.url, 8)).map(ok);
        assert.equal(results.length, 50);
        results.forEach((r, i) => {
          assert.equal(r.value, i * i, `result ${i} in input order`);
          assert.deepEqual(Object.keys(r), ['value', 'host', 'slot', 'cpus', 'cpu', 'pid'], 'the documented JobResult shape, per input');
          assert.equal(r.host, hostOf(host.pid));
          assert.ok(r.slot === 0 || r.slot === 1, `slot ${r.slot}`);
          const head = results[i - (i % 8)]!;
          assert.deepEqual([r.slot, r.pid, r.cpu], [head.slot, head.pid, head.cpu], `input ${i} ran in the same slot as its chunk's first`);
        });
        assert.equal((await q.getJobCounts('completed')).completed, 7, '50 inputs in chunks of 8 are 7 jobs');
        for (let i = 0; i < 50; i++) assert.equal(log.runs().get(String(i))?.length, 1, `input ${i} ran once`);

        const mixed = await collect(queue, 'failOn', Array.from({ length: 10 }, (_, x) => ({ x: 100 + x, bad: 105 })), redis.url, 4);
        mixed.forEach((r, i) => {
          if (i >= 4 && i < 8) {
            assert.ok(r instanceof JobFailedError, `input ${i} is in the chunk with the bad input: it fails with it`);
            assert.equal(r.index, i);
            assert.equal(r.message, 'bad input 105');
          } else assert.equal(ok(r).value, (100 + i) ** 2, `input ${i}: its chunk succeeded`);
        });
        const runs = log.runs();
        assert.deepEqual([104, 105, 106, 107].map((x) => runs.get(String(x))?.length ?? 0), [1, 1, 0, 0], 'the chunk stopped at its bad input (default attempts: 1)');
      });
    } finally {
      host.kill();
      await host.exited;
      log.remove();
    }
  });

  test('a host SIGKILLed mid-run with chunks taken beyond its slots: every input completes; only the chunks it held run again, each as a whole', { timeout: 180_000 }, async (t) => {
    const queue = uniqueQueue('chunkkill');
    const log = runLog();
    // Each one-slot host takes 2 jobs beyond its slot (--prefetch 2): at the kill, the victim holds jobs it never started.
    const two = await startTwoHosts(['--queue', queue, '--redis', redis.url, '--prefetch', '2', '--lock-duration', '4000', '--stalled-interval', '1000', JOBS], { QUEUE_RUN_LOG: log.path });
    if (typeof two === 'string') return t.skip(two);
    const [victim] = two.hosts;
    const size = 4;
    let held: string[] = [];
    try {
      await withQueue(queue, redis.url, async (q) => {
        const inputs = Array.from({ length: 240 }, (_, x) => ({ x, ms: 15 }));
        const results = (
          await collect(queue, 'slow', inputs, redis.url, size, async (n) => {
            if (n !== 80) return;
            // Killed, then its jobs read: they stay active under its name (BullMQ's processedBy) until
            // their lock expires (4 s), so this is what it held when it died.
            victim.kill();
            held = (await q.getActive()).filter((j) => j.processedBy === hostOf(victim.pid)).map((j) => j.id!);
          })
        ).map(ok);
        results.forEach((r, x) => assert.equal(r.value, x * x, `input ${x} completed with its result`));
        t.diagnostic(`the killed host held ${held.length} job(s): ${held.join(', ')}`);
        assert.ok(held.length >= 2, `the killed host held more jobs than its 1 slot (prefetch): ${held.join(', ')}`);
        const victimPids = new Set(results.filter((r) => r.host === hostOf(victim.pid)).map((r) => r.pid));
        const runs = log.runs();
        for (let first = 0; first < 240; first += size) {
          const chunk = Array.from({ length: size }, (_, j) => first + j);
          const counts = chunk.map((x) => runs.get(String(x)) ?? []);
          const finishedOnVictim = results[first]!.host === hostOf(victim.pid);
          const wasHeld = held.some((id) => id.endsWith(`-${first}`));
          if (finishedOnVictim || !wasHeld) {
            counts.forEach((pids, j) => assert.equal(pids.length, 1, `input ${first + j}: its chunk ran once`));
            continue;
          }
          // Held by the dead host: it ran again as a whole on the other host; on the dead one it may have
          // started (a prefix of its inputs) or not at all (taken beyond the slot).
          counts.forEach((pids, j) => {
            const elsewhere = pids.filter((p) => !victimPids.has(p)).length;
            assert.equal(elsewhere, 1, `input ${first + j} of held chunk ${first} ran once on the surviving host`);
          });
          const onVictim = counts.map((pids) => pids.filter((p) => victimPids.has(p)).length);
          assert.ok(onVictim.every((c) => c <= 1) && onVictim.join('').replace(/^1*/, '').replace(/0*$/, '') === '', `chunk ${first} ran a prefix of its inputs on the dead host: ${onVictim.join('')}`);
        }
        const notStarted = held.filter((id) => {
          const first = Number(id.slice(id.lastIndexOf('-') + 1));
          return (runs.get(String(first)) ?? []).every((p) => !victimPids.has(p));
        });
        t.diagnostic(`${notStarted.length} held job(s) had not started on the dead host and came back through stalled recovery`);
        assert.ok(notStarted.length >= 1, 'at least one job was taken beyond the slot and never started there');
      });
    } finally {
      await two.stop();
      log.remove();
    }
  });
});
