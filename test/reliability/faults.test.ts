import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { Pool } from '../../src/index.js';
import { TaskTimeoutError, WorkerCrashedError } from '../../src/pool/errors.js';
import { childPids } from '../support/childPids.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { seededRandom } from '../support/seededRandom.js';

/*
 * Fault injection: 10,000 tasks on each pool kind while workers die at random (process workers:
 * SIGKILL from outside after ~2 % of tasks; thread workers, which no signal can reach alone: exit
 * inside ~2 % of tasks), 1 % of tasks throw, some exceed their timeout, and maxTasksPerChild
 * recycles workers. Every task must be accounted for exactly once, none may run twice, the pool
 * must serve afterwards, and every worker must be inside its slot's CPUs according to /proc.
 */

const TASKS = 10_000;
const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));

type Kind = 'process' | 'thread';
type Plan = 'work' | 'boom' | 'slow' | 'die';

/** The CPUs of a live worker from /proc (every thread of a process worker; a thread worker's own thread). */
function cpusFromProc(kind: Kind, pid: number, tid: number): CpuSet[] {
  const lists = kind === 'process' ? [...cpusOfEveryThread(pid).values()] : [cpusOfThread(process.pid, tid)];
  return lists.map((l) => CpuSet.parse(l, 'list'));
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind} pool: ${TASKS} tasks with workers killed, tasks throwing and timing out, workers recycled — every task settles once, none runs twice`, { timeout: 240_000 }, async (t) => {
    const r = seededRandom(kind === 'process' ? 7001 : 7002);
    const dir = mkdtempSync(join(tmpdir(), 'corepin-faults-'));
    const log = join(dir, 'runs.log');
    const pool = new Pool({ module: MODULE, kind, workers: 2, maxTasksPerChild: 150, initializer: 'setup', initargs: [log] });
    const offSlot: string[] = [];
    const exits = new Map<string, number>();
    const live = new Map<number, { pid: number; tid: number }>();
    pool.on('workerStart', (b) => {
      if (b.pid === null || b.tid === null || b.cpus === null) return;
      live.set(b.slot, { pid: b.pid, tid: b.tid });
      // Checked from /proc by the test itself, not by the pool's `verified`.
      for (const cpus of cpusFromProc(kind, b.pid, b.tid)) {
        if (!cpus.isSubsetOf(b.cpus)) offSlot.push(`slot ${b.slot} (${b.cpus.toList()}): worker ${b.pid}/${b.tid} on ${cpus.toList()}`);
      }
    });
    pool.on('workerExit', (e) => exits.set(e.reason, (exits.get(e.reason) ?? 0) + 1));
    try {
      await pool.ready();
      let kills = 0;
      const killed = new Set<number>();
      const killOne = (): void => {
        const slots = [...live.keys()];
        if (slots.length === 0) return;
        const slot = r.pick(slots);
        const w = live.get(slot)!;
        live.delete(slot); // until its replacement starts
        try {
          process.kill(w.pid, 'SIGKILL');
          killed.add(w.pid);
          kills++;
        } catch {
          // already gone
        }
      };

      const plans: Plan[] = [];
      const outcomes: { ok: boolean; value: unknown; settled: number }[] = new Array(TASKS);
      const calls: Promise<void>[] = [];
      for (let id = 0; id < TASKS; id++) {
        const x = r.next();
        const plan: Plan = x < 0.01 ? 'boom' : x < 0.012 ? 'slow' : kind === 'thread' && x < 0.032 ? 'die' : 'work';
        plans.push(plan);
        const call = plan === 'slow' ? pool.apply('slow', [id], { timeout: 200 }) : pool.apply(plan, [id]);
        const settle = (ok: boolean, value: unknown): void => {
          const prev = outcomes[id];
          outcomes[id] = { ok, value, settled: (prev?.settled ?? 0) + 1 };
          if (kind === 'process' && r.chance(0.02)) killOne();
        };
        calls.push(call.then((v) => settle(true, v), (e: unknown) => settle(false, e)));
      }
      await Promise.all(calls);

      const runs = new Map<number, number>();
      for (const line of readFileSync(log, 'utf8').split('\n')) if (line !== '') runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
      const wrong: string[] = [];
      const count = { ok: 0, threw: 0, timedOut: 0, crashed: 0 };
      const crashedOn: { id: number; worker: number }[] = [];
      const dieWorkers = new Set<number>();
      for (let id = 0; id < TASKS; id++) {
        const o = outcomes[id];
        const ran = runs.get(id) ?? 0;
        if (o === undefined) {
          wrong.push(`task ${id} never settled`);
          continue;
        }
        if (o.settled !== 1) wrong.push(`task ${id} settled ${o.settled} times`);
        if (ran > 1) wrong.push(`task ${id} (${plans[id]}) ran ${ran} times`);
        const e = o.value as Error & { code?: unknown };
        if (!o.ok && e instanceof WorkerCrashedError) {
          count.crashed++; // it was in the batch of a worker that died: ran at most once, maybe not at all
          crashedOn.push({ id, worker: kind === 'process' ? e.pid : (e.tid ?? -1) });
          if (plans[id] === 'die') dieWorkers.add(e.tid ?? -1);
          continue;
        }
        switch (plans[id]) {
          case 'work':
            if (o.ok && o.value === id * 2 && ran === 1) count.ok++;
            else wrong.push(`work ${id}: ${o.ok ? `resolved ${String(o.value)}` : `rejected ${e?.name}: ${e?.message}`}, ran ${ran}×`);
            break;
          case 'boom':
            if (!o.ok && e.name === 'RangeError' && e.message === `task ${id} refused` && e.code === 'E_BOOM' && ran === 1) count.threw++;
            else wrong.push(`boom ${id}: ${o.ok ? 'resolved' : `${e?.name}: ${e?.message}`}, ran ${ran}×`);
            break;
          case 'slow':
            if (!o.ok && e instanceof TaskTimeoutError && ran === 1) count.timedOut++;
            else wrong.push(`slow ${id}: ${o.ok ? 'resolved' : `${e?.name}: ${e?.message}`}, ran ${ran}×`);
            break;
          case 'die':
            wrong.push(`die ${id}: ${o.ok ? 'resolved' : `${e?.name}: ${e?.message}`} instead of WorkerCrashedError`);
            break;
        }
      }
      t.diagnostic(
        `${kind}: ${count.ok} ok, ${count.threw} threw, ${count.timedOut} timed out, ${count.crashed} lost with a crashed worker; ` +
          `${kills} SIGKILLs; worker exits: ${[...exits].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} tasks not accounted for properly`);
      // Every WorkerCrashedError is explained by a fault this test caused: a worker it SIGKILLed
      // (process) or a worker that ran a 'die' task (thread) — never a crash out of nowhere.
      const causes = kind === 'process' ? killed : dieWorkers;
      assert.deepEqual(crashedOn.filter((c) => !causes.has(c.worker)).slice(0, 10), [], 'every crash was one the test caused');
      // A crash takes only its own batch with it: most work still succeeds.
      assert.ok(count.ok > TASKS * 0.8, `only ${count.ok} tasks succeeded`);
      // The faults really happened.
      if (kind === 'process') assert.ok(kills >= TASKS * 0.01, `only ${kills} workers killed`);
      assert.ok(count.crashed > 0 && count.threw > 0 && count.timedOut > 0, 'every kind of fault occurred');
      assert.ok((exits.get('recycled') ?? 0) > 0, 'maxTasksPerChild recycled workers');
      assert.deepEqual(offSlot, [], 'every worker started inside its slot (from /proc)');

      // Still serving, and every worker of every slot is inside its CPUs now.
      const again = await pool.map('work', Array.from({ length: 200 }, (_, i) => i));
      assert.deepEqual(again, Array.from({ length: 200 }, (_, i) => i * 2));
      await pool.ready();
      for (const b of pool.bindings()) {
        assert.ok(b.pid !== null && b.tid !== null && b.cpus !== null, `slot ${b.slot} has a worker`);
        for (const cpus of cpusFromProc(kind, b.pid, b.tid)) assert.ok(cpus.isSubsetOf(b.cpus), `slot ${b.slot}: ${cpus.toList()} ⊄ ${b.cpus.toList()}`);
      }
      await pool.close();
      if (kind === 'process') assert.deepEqual(childPids(), [], 'no worker left after close()');
    } finally {
      await pool.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
