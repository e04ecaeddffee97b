import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueWorker, submit } from '../../src/queue/index.js';
import { parseRedisUrl } from '../../src/queue/redisConnection.js';
import { corepin, oneLine } from '../support/cli.js';
import { JOBS } from './queueTestKit.js';
import { renderFleet } from '../../src/cli/commands/fleet.js';
import type { HostStatus } from '../../src/queue/index.js';

test('bad options are typed errors naming the input, before any connection', () => {
  assert.throws(() => new QueueWorker({ queue: 'a:b', pool: { module: JOBS } }), { code: 'ERR_QUEUE_OPTIONS', message: /queue name must be a non-empty string without ':', got "a:b"/ });
  assert.throws(() => new QueueWorker({ queue: 'q', pool: { module: '/nonexistent/tasks.mjs' } }), { code: 'ERR_POOL_MODULE_NOT_FOUND', message: /\/nonexistent\/tasks\.mjs/ });
  assert.throws(() => new QueueWorker({ queue: 'q', pool: { module: JOBS }, prefetch: -1 }), { code: 'ERR_QUEUE_OPTIONS', message: /prefetch must be a whole number >= 0, got -1/ });
  assert.throws(() => submit('q', '', [1]), { code: 'ERR_QUEUE_OPTIONS', message: /`fn` must be the name of an export/ });
  assert.throws(() => submit('q', 'f', [1], { chunksize: 0 }), { code: 'ERR_QUEUE_OPTIONS', message: /chunksize must be a whole number > 0, got 0/ });
  assert.throws(() => submit('q', 'f', [1], { wait: true, chunksize: 2.5 }), { code: 'ERR_QUEUE_OPTIONS', message: /chunksize must be a whole number > 0, got 2\.5/ });
  assert.throws(() => parseRedisUrl('http://127.0.0.1:6379'), { code: 'ERR_QUEUE_OPTIONS', message: /not a Redis URL: "http:\/\/127\.0\.0\.1:6379"; use redis:\/\/HOST:PORT/ });
  assert.deepEqual(parseRedisUrl('redis://u:p%40ss@10.0.0.5:6380/2'), { host: '10.0.0.5', port: 6380, db: 2, username: 'u', password: 'p@ss' });
});

test('CLI: a bad Redis URL or queue name is one line and exit 1', () => {
  const url = corepin(['fleet', '--queue', 'q', '--redis', 'http://x']);
  assert.equal(url.status, 1);
  assert.ok(oneLine(url.stderr), url.stderr);
  assert.match(url.stderr, /not a Redis URL: "http:\/\/x"/);
  const name = corepin(['worker', JOBS, '--queue', 'a:b', '--redis', 'redis://127.0.0.1:1']);
  assert.equal(name.status, 1);
  assert.ok(oneLine(name.stderr), name.stderr);
  assert.match(name.stderr, /queue name must be a non-empty string without ':'/);
});

test('fleet text: CPUS is the CPUs the host\'s slots run on (a --cpus host inside a wider cpuset), else its usable CPUs', () => {
  const host = (name: string, usable: string, slots: (string | null)[]): HostStatus => ({
    host: name, hostname: 'vm', pid: 1, module: 'hash.mjs', fn: null, kind: 'process', capacity: slots.length, concurrency: 2 * slots.length, placement: 'spread',
    usable, slots: slots.map((cpus, slot) => ({ slot, cpus, pid: 2 + slot, verified: cpus !== null })), done: 0, failed: 0, jobsPerSecond: 0, startedAt: 0, updatedAt: Date.now(), ttlMs: 10_000,
  });
  const text = renderFleet({ queue: 'hash', counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }, hosts: [host('a', '0-3', ['1']), host('b', '0-3', ['2', '3']), host('c', '0-3', [null])] });
  const cpusOf = (name: string): string => text.split('\n').find((l) => l.startsWith(`${name} `))!.trim().split(/\s+/)[5]!;
  assert.deepEqual(['a', 'b', 'c'].map(cpusOf), ['1', '2-3', '0-3'], text);
});
