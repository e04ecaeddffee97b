import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { Pool } from '../../src/index.js';
import { WorkerCrashedError } from '../../src/pool/errors.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

/*
 * Workers that break the protocol: task code sends random messages (foreign values, and messages
 * tagged as the pool's own but malformed or lying), and process workers write raw garbage onto the
 * IPC channel's file descriptor, under Node's own framing. The parent must not go down: such a
 * message is ignored (foreign) or its worker replaced (a broken pool message, or an unreadable
 * channel); every task still settles once, with its result or WorkerCrashedError, and the pool
 * serves afterwards with every worker on its slot's CPUs.
 */

const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const DOSES = 150;

const FOREIGN: unknown[] = [
  'hello', '', 0, -1, 1e308, true, null, {}, { corepin: true }, [], [[]], ['x'], [null], [1, 2, 3], { cmd: 'NODE_x' },
  'x'.repeat(1_000_000), nest(200), ['cp:unknown'], ['cp:run', 1, 'work', 0, [1]], ['cp:exit'], ['cp:init', {}], ['CP:DONE', 0],
];
const TAGGED: unknown[] = [
  ['cp:done'], ['cp:done', -1, 1, 0, 1], ['cp:done', 0], ['cp:done', 0, 'x', 0, 1], ['cp:done', 0, 1.5, 0, 1], ['cp:done', 0, 1, 9, 1],
  ['cp:done', 0, 999_999, 0, 'forged'], ['cp:done', 0, 1, 2, 'not an error'], ['cp:done', 'fast', 1, 0, 1], ['cp:done', 0, 1, 0],
  ['cp:ready'], ['cp:ready', 1, 1, []], ['cp:ready', -5, 'x', null], ['cp:fail', 'pin', { name: 'Error', message: 'fake' }],
  ['cp:fail', 'nope', null], ['cp:crash'], ['cp:crash', 'string'], ['cp:crash', { name: 'Error', message: 'fake crash' }],
  // The process pipe's lean frames (src/pool/runtime/leanFrames.ts); foreign to thread workers.
  ['cp:done-seq', 0, 999_999, 'a', 'b', 'c', 'd'], ['cp:done-seq'], ['cp:done-seq', 0, 1.5, 'x'], ['cp:run-seq', 1, 'work', 1],
];
/** Only structured clone (thread workers, 'advanced' process workers) carries these. */
const CLONED: unknown[] = [new Map([[1, 2]]), new Set([1]), new Date(0), new Uint8Array(8), /x/g, new Error('an error object'), [10n], [, , 1], ['cp:done', 0, 1n, 0, 1], ['cp:ready', 1n, 1n, []]];
/** Raw writes onto the IPC fd: JSON Lines for 'json' channels, a length-prefixed V8 payload for 'advanced'. */
const RAW_JSON = ['garbage{\n', '\n', '[1,2\n', '[1,2', '"just a string"\n', '{"cmd":"NODE_HANDLE","type":"net.Socket","msg":{}}\n', '["cp:done",0,1,0,1]\n', '\u0000\u0001\u00ff\n', `${'['.repeat(100_000)}\n`, '["cp:done-seq",0,1,5,6,7,8]\n', '["cp:done-seq",0]\n'];
const RAW_ADVANCED = ['\u0000\u0000\u0000\u0009garbage!!', '\u0000\u0000\u0000\u0001\u00ff', '\u00ff\u00ff\u00ff\u00ffshort'];

function nest(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

interface Variant {
  readonly name: string;
  readonly kind: 'process' | 'thread';
  readonly serialization?: 'json' | 'advanced';
  readonly raw: readonly string[];
  readonly cloned: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'process (json channel)', kind: 'process', raw: RAW_JSON, cloned: false },
  { name: 'process (advanced channel)', kind: 'process', serialization: 'advanced', raw: RAW_ADVANCED, cloned: true },
  { name: 'thread', kind: 'thread', raw: [], cloned: true },
];

function dose(r: SeededRandom, v: Variant, id: number): { fn: string; args: unknown[] } {
  if (v.raw.length > 0 && r.chance(0.15)) return { fn: 'scribble', args: [id, r.pick(v.raw)] };
  const pools = [FOREIGN, TAGGED, ...(v.cloned ? [CLONED] : [])];
  return { fn: 'chatter', args: [id, Array.from({ length: 1 + r.int(4) }, () => r.pick(r.pick(pools)))] };
}

for (const v of VARIANTS) {
  // The timeout turns a regression that wedges the pool into a failure instead of a stuck run.
  test(`${v.name}: ${DOSES} doses of protocol garbage from workers — parent stays up, tasks settle once, the pool still serves`, { timeout: 120_000 }, async (t) => {
    const r = seededRandom(8000 + VARIANTS.indexOf(v));
    const pool = new Pool({ module: MODULE, kind: v.kind, workers: 2, ...(v.serialization ? { serialization: v.serialization } : {}) });
    let protocolErrors = 0;
    const reasons = new Map<string, number>();
    pool.on('protocolError', () => protocolErrors++);
    pool.on('workerExit', (e) => reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1));
    try {
      await pool.ready();
      const wrong: string[] = [];
      let ok = 0;
      let replaced = 0;
      // In small groups, so garbage lands while other tasks are in flight on the same worker.
      for (let id = 0; id < DOSES; id += 5) {
        const group = Array.from({ length: 5 }, (_, k) => id + k).map((i) => {
          const d = r.chance(0.5) ? dose(r, v, i) : { fn: 'work', args: [i] };
          return pool.apply(d.fn, d.args).then(
            (value) => ({ i, d, ok: true as const, value }),
            (error: unknown) => ({ i, d, ok: false as const, error }),
          );
        });
        for (const o of await Promise.all(group)) {
          const want = o.d.fn === 'work' ? o.i * 2 : o.i;
          if (o.ok && o.value === want) ok++;
          else if (!o.ok && o.error instanceof WorkerCrashedError) replaced++;
          else wrong.push(`${o.d.fn}(${inspect(o.d.args, { depth: 3 }).slice(0, 120)}): ${o.ok ? `resolved ${inspect(o.value).slice(0, 80)}` : `${(o.error as Error).name}: ${(o.error as Error).message}`}`);
        }
      }
      t.diagnostic(`${v.name}: ${ok} ok, ${replaced} lost with a replaced worker, ${protocolErrors} protocolError events; exits: ${[...reasons].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} tasks settled wrongly`);
      assert.ok(protocolErrors > 0, 'the garbage was noticed');
      assert.ok((reasons.get('protocol') ?? 0) > 0, 'a worker that broke the protocol was replaced');
      // Lying pool messages cost the batch they share a worker with; the rest succeed.
      assert.ok(ok > DOSES / 4, `only ${ok} tasks succeeded`);

      assert.deepEqual(await pool.map('work', [1, 2, 3, 4]), [2, 4, 6, 8], 'still serving');
      await pool.ready();
      for (const b of pool.bindings()) {
        assert.ok(b.pid !== null && b.tid !== null && b.cpus !== null);
        const lists = v.kind === 'process' ? [...cpusOfEveryThread(b.pid).values()] : [cpusOfThread(process.pid, b.tid)];
        for (const l of lists) assert.ok(CpuSet.parse(l, 'list').isSubsetOf(b.cpus), `slot ${b.slot}: ${l} ⊄ ${b.cpus.toList()}`);
      }
    } finally {
      await pool.terminate();
    }
  });
}
