import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorepinError } from '../../src/CorepinError.js';
import {
  JobExportNotFoundError,
  JobFailedError,
  JobModuleMismatchError,
  QueueDependencyError,
  QueueOptionsError,
  RedisUnreachableError,
} from '../../src/queue/errors.js';

// Each queue error names its code in its type (`extends CorepinError<'CODE'>`, like the pool's): these
// assignments do not compile while a class's `code` is any ErrorCode.
const typed: {
  dep: 'ERR_QUEUE_DEPENDENCY';
  unreachable: 'ERR_REDIS_UNREACHABLE';
  options: 'ERR_QUEUE_OPTIONS';
  mismatch: 'ERR_QUEUE_MODULE_MISMATCH';
  noExport: 'ERR_QUEUE_EXPORT_NOT_FOUND';
  failed: 'ERR_QUEUE_JOB_FAILED';
} = {
  dep: new QueueDependencyError('bullmq').code,
  unreachable: new RedisUnreachableError('redis://h:1', 'refused').code,
  options: new QueueOptionsError('m').code,
  mismatch: new JobModuleMismatchError('a.mjs', 'b.mjs').code,
  noExport: new JobExportNotFoundError('f', 'a.mjs', []).code,
  failed: new JobFailedError('r-1', 1, 'boom').code,
};

test('queue errors: name, code, message, instanceof and fields as before the typed-code shape', () => {
  const cause = new Error('ECONNREFUSED');
  const cases: [CorepinError, string, string, string][] = [
    [new QueueDependencyError('ioredis', { cause }), 'QueueDependencyError', 'ERR_QUEUE_DEPENDENCY', 'corepin/queue needs ioredis: install it with `npm install bullmq ioredis`'],
    [new RedisUnreachableError('redis://h:1', 'refused', { cause }), 'RedisUnreachableError', 'ERR_REDIS_UNREACHABLE', 'cannot reach Redis at redis://h:1 (refused); start redis-server there or pass --redis URL / set REDIS_URL'],
    [new QueueOptionsError('bad `window`'), 'QueueOptionsError', 'ERR_QUEUE_OPTIONS', 'bad `window`'],
    [new JobModuleMismatchError('a.mjs', 'b.mjs'), 'JobModuleMismatchError', 'ERR_QUEUE_MODULE_MISMATCH', 'the job is for module "a.mjs" but this host serves "b.mjs"; start a host with that module on this queue'],
    [new JobExportNotFoundError('f', 'a.mjs', ['g', 'h']), 'JobExportNotFoundError', 'ERR_QUEUE_EXPORT_NOT_FOUND', 'module "a.mjs" has no function export "f" (its exports: g, h)'],
    [new JobExportNotFoundError('f', 'a.mjs', []), 'JobExportNotFoundError', 'ERR_QUEUE_EXPORT_NOT_FOUND', 'module "a.mjs" has no function export "f" (its exports: none)'],
    [new JobFailedError('r-1', 1, 'boom'), 'JobFailedError', 'ERR_QUEUE_JOB_FAILED', 'boom'],
    [new JobFailedError('r-2', 2, ''), 'JobFailedError', 'ERR_QUEUE_JOB_FAILED', 'job r-2 failed'],
  ];
  for (const [err, name, code, message] of cases) {
    assert.ok(err instanceof Error && err instanceof CorepinError, name);
    assert.equal(err.name, name);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
  }
  assert.equal(cases[0]![0].cause, cause);
  assert.equal(cases[1]![0].cause, cause);
  assert.equal(new QueueOptionsError('m').cause, undefined);
  const unreachable = new RedisUnreachableError('redis://h:1', 'refused');
  assert.equal(unreachable.url, 'redis://h:1');
  const failed = new JobFailedError('r-1', 7, 'boom');
  assert.deepEqual([failed.jobId, failed.index], ['r-1', 7]);
  assert.deepEqual(Object.keys(typed).length, 6);
});
