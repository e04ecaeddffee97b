import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool, usableCpus } from '../../src/index.js';
import { allowedMemNodes } from '../../src/launch/memoryPolicy.js';
import { taskFixture } from '../support/taskFixture.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { everyThreadState, NUMA_MAPS_WORD, threadState } from './support.js';

const fixture = taskFixture('launchSettings.mjs');
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const firstNode = (): number => allowedMemNodes('self')[0] ?? 0;

for (const mode of ['bind', 'preferred', 'interleave', 'local'] as const) {
  test(`memory '${mode}': every thread of every process worker, recycled ones too, has it from /proc numa_maps`, async (t) => {
    // Two tasks per worker: the first is read while the worker still lives, the second retires it.
    const pool = new Pool({ module: fixture, kind: 'process', workers: 1, memory: mode, maxTasksPerChild: 2 });
    t.after(() => pool.terminate());
    const want = mode === 'local' ? 'local' : `${NUMA_MAPS_WORD[mode]}:${firstNode()}`;
    const pids = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const pid = await pool.apply<number>('pid');
      pids.add(pid);
      if (i % 2 === 1) continue;
      const states = everyThreadState(pid);
      assert.ok(states.size >= 2, 'a Node worker has several threads');
      for (const [tid, s] of states) assert.equal(s.mem, want, `thread ${tid} of worker ${pid}`);
    }
    assert.equal(pids.size, 2, 'the second task ran in a recycled worker');
    const b = pool.bindings()[0]!;
    assert.equal(b.memory?.mode, mode);
    assert.equal(b.memory?.note ?? null, null);
    // The parent's own policy is unchanged.
    assert.equal(threadState(process.pid, process.pid).mem, 'default');
    await pool.close();
  });
}

test("memory on a thread worker: the worker's own thread has the policy, the pool's thread does not", async (t) => {
  const pool = new Pool({ module: fixture, kind: 'thread', workers: 1, memory: 'bind' });
  t.after(() => pool.terminate());
  const inside = await pool.apply<{ policy: string; tid: number }>('selfPolicy');
  assert.equal(inside.policy, `bind:${firstNode()}`);
  assert.equal(threadState(process.pid, inside.tid).mem, `bind:${firstNode()}`, 'read from outside too');
  assert.equal(threadState(process.pid, process.pid).mem, 'default');
  await pool.close();
});

test('nice and sched: every thread of every process worker, recycled ones too (stat and sched in /proc)', async (t) => {
  const pool = new Pool({ module: fixture, kind: 'process', workers: 1, nice: 7, sched: 'batch', maxTasksPerChild: 2 });
  t.after(() => pool.terminate());
  const pids = new Set<number>();
  for (let i = 0; i < 6; i++) {
    const pid = await pool.apply<number>('pid');
    pids.add(pid);
    if (i % 2 === 1) continue; // the worker retires after this task: read it on the first of its two
    for (const [tid, s] of everyThreadState(pid)) {
      assert.equal(s.nice, 7, `nice of thread ${tid} of ${pid}`);
      assert.equal(s.policy, SCHED_BATCH, `class of thread ${tid} of ${pid}`);
    }
  }
  assert.ok(pids.size >= 3, 'recycled workers were checked');
  assert.equal(threadState(process.pid, process.pid).nice, 0, 'the pool process itself is unchanged');
  await pool.close();
});

test('sched idle on a thread worker: its own thread only', async (t) => {
  const pool = new Pool({ module: fixture, kind: 'thread', workers: 1, sched: 'idle', nice: 3 });
  t.after(() => pool.terminate());
  const { tid } = await pool.apply<{ tid: number }>('selfPolicy');
  const s = threadState(process.pid, tid);
  assert.equal(s.policy, SCHED_IDLE);
  assert.equal(s.nice, 3);
  assert.equal(threadState(process.pid, process.pid).policy, 0);
  await pool.close();
});

test('thread env: slot size and places for process workers; user values kept; threadEnv false turns it off', async (t) => {
  const names = ['OMP_NUM_THREADS', 'OMP_PLACES', 'OMP_PROC_BIND', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'GOMAXPROCS', 'UV_THREADPOOL_SIZE'];
  const cpu = usableCpus().first!;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !names.includes(k)));
  const pool = new Pool({ module: fixture, kind: 'process', workers: 1, placement: [String(cpu)], env: { ...base, MKL_NUM_THREADS: '9' } });
  t.after(() => pool.terminate());
  assert.deepEqual(await pool.apply('env', [names]), {
    OMP_NUM_THREADS: '1',
    OMP_PLACES: `{${cpu}}`,
    OMP_PROC_BIND: 'close',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '9',
    GOMAXPROCS: '1',
    UV_THREADPOOL_SIZE: '4',
  });
  await pool.close();
  const off = new Pool({ module: fixture, kind: 'process', workers: 1, placement: [String(cpu)], env: base, threadEnv: false });
  t.after(() => off.terminate());
  assert.deepEqual(await off.apply('env', [names]), {});
  await off.close();
});

test("binding 'pool': every thread of every worker is on the union of the slots (process and thread workers)", async (t) => {
  const usable = usableCpus();
  if (usable.size < 2) return t.skip(`needs 2 usable CPUs; this process has ${usable.toList()}`);
  const two = [String(usable.first!), String([...usable][1]!)];
  const union = `${two[0]},${two[1]}`.replace(/^(\d+),(\d+)$/, (_, a: string, b: string) => (Number(b) === Number(a) + 1 ? `${a}-${b}` : `${a},${b}`));
  for (const kind of ['process', 'thread'] as const) {
    const pool = new Pool({ module: fixture, kind, placement: two, binding: 'pool' });
    t.after(() => pool.terminate());
    await pool.ready();
    assert.equal(pool.binding, 'pool');
    for (const b of pool.bindings()) {
      assert.equal(b.verified, true);
      assert.equal(b.cpus!.toList(), union);
      if (kind === 'process') for (const [tid, c] of cpusOfEveryThread(b.pid!)) assert.equal(c, union, `thread ${tid}`);
      else assert.equal(cpusOfThread(b.pid!, b.tid!), union);
    }
    await pool.close();
  }
});

test('bad values: one-line typed errors naming the option', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ memory: 'near' }, /^memory must be one of local, bind, preferred, interleave; got "near"$/],
    [{ nice: 20 }, /^nice must be a whole number from -20 to 19; got 20$/],
    [{ nice: 1.5 }, /^nice must be/],
    [{ sched: 'fifo' }, /^sched must be one of other, batch, idle; got "fifo"$/],
    [{ threadEnv: 'no' }, /^threadEnv must be true or false/],
    [{ binding: 'core' }, /^binding must be one of slot, pool; got "core"$/],
  ];
  for (const [extra, message] of cases) {
    assert.throws(() => new Pool({ module: fixture, workers: 1, ...extra }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_LAUNCH_SETTING');
      assert.match(e.message, message);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  }
});

test('binding report of a pool: memory policy, nice and class read from /proc per worker, binding mode (text and JSON)', async (t) => {
  const { reportOfPool } = await import('../../src/cli/report/reportOf.js');
  const { renderBindingReport } = await import('../../src/cli/report/renderBindingReport.js');
  const pool = new Pool({ module: fixture, kind: 'process', workers: 1, memory: 'interleave', nice: 2, sched: 'batch', binding: 'pool' });
  t.after(() => pool.terminate());
  await pool.ready();
  const report = reportOfPool('pool', pool.bindings(), usableCpus());
  const e = report.entries[0]!;
  assert.deepEqual([e.memory, e.nice, e.sched, e.binding], [`interleave:${firstNode()}`, 2, 'batch', 'pool']);
  assert.match(renderBindingReport(report), new RegExp(`MEMORY +NICE +SCHED +BINDING\\n.* interleave:${firstNode()} +2 +batch +pool`));
  await pool.close();
});
