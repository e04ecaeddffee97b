import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { Pool } from '../../src/index.js';
import { WorkerCrashedError } from '../../src/pool/errors.js';
import { childPids } from '../support/childPids.js';
import { cpusOfEveryThread } from '../support/procStatus.js';
import { seededRandom } from '../support/seededRandom.js';

/*
 * Kills during start-up (an OOM killer, a supervisor, a chaos tool): a process pool (2 workers,
 * maxTasksPerChild 200) whose children are SIGKILLed from outside every 40 ms for 75 ticks (3 s) —
 * the first half every child at each tick (no worker can finish starting), the second half one
 * child at random — while 3,000 tasks are submitted, 40 per tick. A kill from outside is not evidence that a
 * worker cannot start: no task may be rejected for it, every task settles exactly once (its result,
 * or WorkerCrashedError for a task its worker may have been running), none runs twice (run log), and
 * once the kills stop the pool serves again with every worker on its slot's CPUs.
 */

const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const TASKS = 3000;
const TICK_MS = 40;
const STORM_MS = 3000;
const TICKS = STORM_MS / TICK_MS;

test(`process pool: children SIGKILLed every ${TICK_MS} ms for ${STORM_MS} ms, many while starting — ${TASKS} tasks settle once, none rejected for the kills, none run twice, the pool serves after`, { timeout: 240_000 }, async (t) => {
  const r = seededRandom(4004);
  const dir = mkdtempSync(join(tmpdir(), 'corepin-startkills-'));
  const log = join(dir, 'runs.log');
  const pool = new Pool({ module: MODULE, kind: 'process', workers: 2, maxTasksPerChild: 200, initializer: 'setup', initargs: [log] });
  const exits = new Map<string, number>();
  const retries: number[] = [];
  pool.on('workerExit', (e) => exits.set(e.reason, (exits.get(e.reason) ?? 0) + 1));
  pool.on('startupRetry', (e) => retries.push(e.delayMs));
  try {
    await pool.ready();
    const outcomes: { ok: boolean; value: unknown; settled: number }[] = new Array(TASKS);
    const calls: Promise<void>[] = [];
    let submitted = 0;
    let kills = 0;
    const submit = (n: number): void => {
      for (let k = 0; k < n && submitted < TASKS; k++) {
        const id = submitted++;
        const settle = (ok: boolean, value: unknown): void => {
          outcomes[id] = { ok, value, settled: (outcomes[id]?.settled ?? 0) + 1 };
        };
        calls.push(pool.apply('work', [id, 300]).then((v) => settle(true, v), (e: unknown) => settle(false, e)));
      }
    };
    // Counted in ticks, not wall time, so a loaded machine gets the same attack.
    for (let tick = 0; tick < TICKS; tick++) {
      const pids = childPids();
      const victims = tick < TICKS / 2 ? pids : pids.length > 0 ? [r.pick(pids)] : [];
      for (const pid of victims) {
        try {
          process.kill(pid, 'SIGKILL');
          kills++;
        } catch {
          // gone already
        }
      }
      submit(TASKS / TICKS);
      await sleep(TICK_MS);
    }
    submit(TASKS);
    await Promise.all(calls);

    const runs = new Map<number, number>();
    // No log at all: no task ever ran (the pool failed).
    for (const line of (existsSync(log) ? readFileSync(log, 'utf8') : '').split('\n')) if (line !== '') runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
    const wrong: string[] = [];
    let ok = 0;
    let crashed = 0;
    for (let id = 0; id < TASKS; id++) {
      const o = outcomes[id];
      const ran = runs.get(id) ?? 0;
      if (o === undefined) wrong.push(`task ${id} never settled`);
      else if (o.settled !== 1) wrong.push(`task ${id} settled ${o.settled} times`);
      else if (ran > 1) wrong.push(`task ${id} ran ${ran} times`);
      else if (o.ok && o.value === id * 2 && ran === 1) ok++;
      else if (!o.ok && o.value instanceof WorkerCrashedError) crashed++;
      else wrong.push(`task ${id}: ${o.ok ? `resolved ${String(o.value)}` : `${(o.value as Error).name}: ${(o.value as Error).message}`} (ran ${ran}×)`);
    }
    const killedStarting = exits.get('startup-failed') ?? 0;
    t.diagnostic(
      `${TASKS} tasks: ${ok} results, ${crashed} WorkerCrashedError, ${wrong.length} wrong; ${kills} SIGKILLs, ${killedStarting} of them during start-up; ` +
        `${retries.length} start-up retries (largest delay ${Math.max(0, ...retries)} ms); exits: ${[...exits].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} tasks settled wrongly`);
    assert.equal(ok + crashed, TASKS);
    assert.ok(killedStarting > 0, 'the kills hit workers while they were starting');
    assert.ok(retries.length > 0 && retries.every((d) => d >= 10 && d <= 2000), 'retries were reported as events, with a delay of 10 ms to 2 s');
    assert.ok(crashed < TASKS / 2, `a kill costs only what its worker may have been running (${crashed} crashed)`);

    // The storm is over: the pool serves, and every worker is on exactly its slot's CPUs.
    const again = await pool.map('work', Array.from({ length: 100 }, (_, i) => TASKS + i));
    assert.deepEqual(again, Array.from({ length: 100 }, (_, i) => (TASKS + i) * 2));
    await pool.ready();
    for (const b of pool.bindings()) {
      assert.ok(b.pid !== null && b.cpus !== null, `slot ${b.slot} has a worker`);
      for (const l of cpusOfEveryThread(b.pid).values()) assert.ok(CpuSet.parse(l, 'list').equals(b.cpus), `slot ${b.slot}: a thread on ${l}, slot ${b.cpus.toList()}`);
    }
    await pool.close();
    assert.deepEqual(childPids(), [], 'no worker left after close()');
  } finally {
    await pool.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
});
