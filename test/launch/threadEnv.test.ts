import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSet } from '../../src/index.js';
import { threadEnv } from '../../src/launch/threadEnv.js';
import { workerThreadEnv } from '../../src/pool/runtime/workerThreadEnv.js';

const init = { module: 'file:///x.mjs', initializer: null, initargs: [] };

test('threadEnv: counts = slot size, places one per CPU, libuv never below 4, user values kept', () => {
  assert.deepEqual(threadEnv(CpuSet.parse('2-3,8', 'list'), {}), {
    OMP_NUM_THREADS: '3',
    OMP_PLACES: '{2},{3},{8}',
    OMP_PROC_BIND: 'close',
    OPENBLAS_NUM_THREADS: '3',
    MKL_NUM_THREADS: '3',
    GOMAXPROCS: '3',
    UV_THREADPOOL_SIZE: '4',
  });
  assert.equal(threadEnv(CpuSet.parse('0-7', 'list'), {}).UV_THREADPOOL_SIZE, '8');
  const kept = threadEnv(CpuSet.parse('0', 'list'), { OMP_NUM_THREADS: '16', GOMAXPROCS: '' });
  assert.equal(kept.OMP_NUM_THREADS, undefined, 'set by the user: not overridden');
  assert.equal(kept.GOMAXPROCS, undefined, 'set to empty by the user: still theirs');
});

test("binding 'pool': counts follow the slot's own CPUs; no OMP_PLACES / OMP_PROC_BIND that would crowd the union", () => {
  const env = workerThreadEnv({ slot: 0, cpus: CpuSet.parse('0-3', 'list'), own: CpuSet.parse('1', 'list'), init }, {});
  assert.equal(env.OMP_NUM_THREADS, '1');
  assert.equal(env.OMP_PLACES, undefined);
  assert.equal(env.OMP_PROC_BIND, undefined);
  const slot = workerThreadEnv({ slot: 0, cpus: CpuSet.parse('1', 'list'), own: CpuSet.parse('1', 'list'), init }, {});
  assert.equal(slot.OMP_PLACES, '{1}');
  assert.deepEqual(workerThreadEnv({ slot: 0, cpus: null, init }, {}), {}, 'unpinned: nothing to fit');
});
