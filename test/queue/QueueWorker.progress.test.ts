import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Job, Queue, QueueEvents } from 'bullmq';
import { QueueWorker } from '../../src/queue/index.js';
import { redisMissing, startRedis, type TestRedis } from './redisServer.js';
import { JOBS, uniqueQueue } from './queueTestKit.js';

const missing = redisMissing();

describe('job progress through a QueueWorker on a real redis-server', { skip: missing ?? false, timeout: 120_000 }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.remove();
  });

  for (const kind of ['process', 'thread'] as const) {
    test(`${kind} pool: every value a task reports reaches BullMQ in order (progress events and job.progress)`, { timeout: 60_000 }, async (t) => {
      const queue = uniqueQueue(`progress-${kind}`);
      const host = new QueueWorker({ queue, connection: redis.url, pool: { module: JOBS, kind, workers: 2 } });
      const events = new QueueEvents(queue, { connection: { url: redis.url } });
      const q = new Queue(queue, { connection: { url: redis.url } });
      t.after(async () => {
        await host.close();
        await events.close();
        await q.obliterate({ force: true }).catch(() => {});
        await q.close();
      });
      await Promise.all([host.ready(), events.waitUntilReady()]);
      const seen = new Map<string, unknown[]>();
      events.on('progress', ({ jobId, data }) => seen.set(jobId, [...(seen.get(jobId) ?? []), data]));
      const n = 12;
      const jobs = await q.addBulk([1, 2, 3, 4].map((x) => ({ name: 'stepped', data: { corepinModule: 'jobs.mjs', input: { x, n } } })));
      const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 30_000)));
      assert.deepEqual(results.map((r: { value: number }) => r.value), [1, 4, 9, 16]);
      const want = [...Array.from({ length: n }, (_, i) => i + 1), { done: n }];
      // Progress events come before the job's completed event in the stream; allow the listener a moment.
      for (let i = 0; i < 50 && jobs.some((j) => (seen.get(j.id!) ?? []).length < want.length); i++) await new Promise((r) => setTimeout(r, 100));
      for (const j of jobs) {
        assert.deepEqual(seen.get(j.id!), want, `job ${j.id}: every progress value, in order`);
        assert.deepEqual((await Job.fromId(q, j.id!))?.progress, { done: n }, `job ${j.id}: job.progress is the last value`);
      }
    });
  }
});
