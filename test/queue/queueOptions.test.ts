import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueWorker, submit } from '../../src/queue/index.js';
import { parseRedisUrl } from '../../src/queue/redisConnection.js';
import { corepin, oneLine } from '../support/cli.js';
import { JOBS } from './queueTestKit.js';

test('bad options are typed errors naming the input, before any connection', () => {
  assert.throws(() => new QueueWorker({ queue: 'a:b', pool: { module: JOBS } }), { code: 'ERR_QUEUE_OPTIONS', message: /queue name must be a non-empty string without ':', got "a:b"/ });
  assert.throws(() => new QueueWorker({ queue: 'q', pool: { module: '/nonexistent/tasks.mjs' } }), { code: 'ERR_POOL_MODULE_NOT_FOUND', message: /\/nonexistent\/tasks\.mjs/ });
  assert.throws(() => new QueueWorker({ queue: 'q', pool: { module: JOBS }, prefetch: -1 }), { code: 'ERR_QUEUE_OPTIONS', message: /prefetch must be a whole number >= 0, got -1/ });
  assert.throws(() => submit('q', '', [1]), { code: 'ERR_QUEUE_OPTIONS', message: /`fn` must be the name of an export/ });
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
