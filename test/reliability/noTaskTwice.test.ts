import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from '../../src/index.js';
import { WorkerCrashedError } from '../../src/pool/errors.js';
import { seededRandom } from '../support/seededRandom.js';

/*
 * No task runs twice. Every task appends its id to a run log (one O_APPEND write) as it starts.
 * Process and thread pools run tasks while workers break the protocol (malformed pool messages,
 * a lying "I was running nothing" last-words message, forged results, raw bytes on the IPC fd), die
 * (SIGKILL from outside for processes, process.exit inside a task for threads) and are recycled by
 * maxTasksPerChild. Whatever happens, no id may appear twice in the log; a task that resolved ran
 * exactly once; the only failure allowed is WorkerCrashedError (its worker died while it may have
 * been running), and such a task ran at most once.
 */

const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const TASKS = 600;

/** Pool messages that are malformed (the worker is replaced) or lie about what the worker ran. */
const LIES: unknown[][] = [
  [['cp:stopped', null], ['cp:done']],
  [['cp:stopped', null]],
  [['cp:done', 0, 999_999, 0, 'forged']],
  [['cp:ready', 1, 1, []]],
  [['cp:crash', 'string']],
  [['cp:stopped', 123_456], ['cp:fail', 'nope', null]],
];

interface Variant {
  readonly name: string;
  readonly kind: 'process' | 'thread';
  readonly serialization?: 'advanced';
}
const VARIANTS: Variant[] = [
  { name: 'process (json channel)', kind: 'process' },
  { name: 'process (advanced channel)', kind: 'process', serialization: 'advanced' },
  { name: 'thread', kind: 'thread' },
];

for (const v of VARIANTS) {
  test(`${v.name}: run log over ${TASKS} tasks with protocol garbage, deaths and recycling — no task runs twice`, { timeout: 180_000 }, async (t) => {
    const r = seededRandom(9100 + VARIANTS.indexOf(v));
    const dir = mkdtempSync(join(tmpdir(), 'corepin-runlog-'));
    const log = join(dir, 'runs.log');
    const pool = new Pool({ module: MODULE, kind: v.kind, workers: 2, maxTasksPerChild: 12, initializer: 'setup', initargs: [log], ...(v.serialization ? { serialization: v.serialization } : {}) });
    const exits = new Map<string, number>();
    pool.on('workerExit', (e) => exits.set(e.reason, (exits.get(e.reason) ?? 0) + 1));
    const live = new Set<number>();
    pool.on('workerStart', (b) => b.pid !== null && live.add(b.pid));
    pool.on('workerExit', (e) => live.delete(e.pid));
    let kills = 0;
    try {
      await pool.ready();
      const outcomes: { ok: boolean; value: unknown; settled: number }[] = new Array(TASKS);
      const want: unknown[] = new Array(TASKS);
      // Groups of 25 in flight, so lies and deaths land while later batches wait on the same worker.
      for (let base = 0; base < TASKS; base += 25) {
        const group: Promise<void>[] = [];
        for (let id = base; id < base + 25; id++) {
          const x = r.next();
          let call: Promise<unknown>;
          want[id] = id;
          // The first task of each variant is the deterministic case: lie "running nothing", then break the protocol.
          if (id === 0 || x < 0.04) call = pool.apply('chatter', [id, id === 0 ? LIES[0] : r.pick(LIES)]);
          else if (v.kind === 'process' && v.serialization === undefined && x < 0.06) call = pool.apply('scribble', [id, r.pick(['garbage{\n', '[1,2\n', '["cp:done",0,1,0,1]\n'])]);
          else if (v.kind === 'thread' && x < 0.06) call = pool.apply('die', [id]);
          else {
            call = pool.apply('work', [id, 200]);
            want[id] = id * 2;
          }
          const settle = (ok: boolean, value: unknown): void => {
            outcomes[id] = { ok, value, settled: (outcomes[id]?.settled ?? 0) + 1 };
            if (v.kind === 'process' && r.chance(0.03) && live.size > 0) {
              try {
                process.kill(r.pick([...live]), 'SIGKILL');
                kills++;
              } catch {
                // gone already
              }
            }
          };
          group.push(call.then((value) => settle(true, value), (e: unknown) => settle(false, e)));
        }
        await Promise.all(group);
      }

      const runs = new Map<number, number>();
      for (const line of readFileSync(log, 'utf8').split('\n')) if (line !== '') runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
      const twice = [...runs].filter(([, n]) => n > 1).map(([id, n]) => `task ${id} ran ${n} times`);
      const wrong: string[] = [];
      let ok = 0;
      let crashed = 0;
      for (let id = 0; id < TASKS; id++) {
        const o = outcomes[id];
        const ran = runs.get(id) ?? 0;
        if (o === undefined) wrong.push(`task ${id} never settled`);
        else if (o.settled !== 1) wrong.push(`task ${id} settled ${o.settled} times`);
        else if (o.ok && o.value === want[id] && ran === 1) ok++;
        else if (!o.ok && o.value instanceof WorkerCrashedError && ran <= 1) crashed++;
        else wrong.push(`task ${id}: ${o.ok ? `resolved ${String(o.value)}` : `${(o.value as Error).name}: ${(o.value as Error).message}`} (ran ${ran}×)`);
      }
      t.diagnostic(
        `${v.name}: ${TASKS} tasks, run-log duplicates ${twice.length}; ${ok} results, ${crashed} WorkerCrashedError; ${kills} SIGKILLs; ` +
          `exits: ${[...exits].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
      assert.deepEqual(twice.slice(0, 10), [], `${twice.length} tasks ran more than once`);
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} tasks settled wrongly`);
      assert.ok((exits.get('protocol') ?? 0) > 0 && (exits.get('recycled') ?? 0) > 0 && (exits.get('crashed') ?? 0) > 0, 'protocol kills, recycling and deaths all happened');
      assert.ok(ok > TASKS / 2, `only ${ok} tasks succeeded`);
      assert.deepEqual(await pool.map('work', [TASKS, TASKS + 1]), [TASKS * 2, (TASKS + 1) * 2], 'still serving');
    } finally {
      await pool.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
