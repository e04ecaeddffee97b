import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { makeCpuset } from '../support/cgroupCpuset.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';

/*
 * A slot that gets its CPUs back is re-pinned to all of them. A pool with two multi-CPU slots
 * (placement ['0-1', '0-1'], recycling every 20 tasks) runs under load in a child inside a real
 * cgroup v1 cpuset. The test shrinks the cpuset to 0 — workers recycled meanwhile are born on CPU 0
 * only — then grows it back to 0-1 with the load paused (no more recycling). Every worker must then
 * be on exactly 0-1 according to /proc, and the pool's `verified` must agree. A worker left on CPU 0
 * is inside its slot but not on it: the pool used to count that as verified and skip the re-pin.
 */

const SCRIPT = fileURLToPath(new URL('../../../test/fixtures/reliability/shrinkingPool.mjs', import.meta.url));
const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const INDEX = new URL('../../src/index.js', import.meta.url).href;
/** Hang guard for each awaited line; not a timing assertion. */
const WAIT_MS = 20_000;

interface Binding {
  slot: number;
  pid: number | null;
  tid: number | null;
  cpus: string | null;
  verified: boolean;
}
type Line =
  | { event: 'ready'; pid: number; bindings: Binding[] }
  | { event: 'bindings'; bindings: Binding[] }
  | { event: 'paused' }
  | { event: 'placementChange'; usable: string; moves: { slot: number; from: string; to: string }[] }
  | { event: 'done'; submitted: number; resolved: number; rejected: string[] };

function cannotRun(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  try {
    const root = CpuSet.parse(readFileSync('/sys/fs/cgroup/cpuset/cpuset.effective_cpus', 'utf8').trim(), 'list');
    if (!root.has(0) || !root.has(1)) return 'CPUs 0 and 1 are not both in the root cpuset';
  } catch {
    return 'no cgroup v1 cpuset hierarchy at /sys/fs/cgroup/cpuset';
  }
  return null;
}

function reader(child: ChildProcess): (event: Line['event'], match?: (l: Line) => boolean) => Promise<Line> {
  const seen: Line[] = [];
  let wake: (() => void) | null = null;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    seen.push(JSON.parse(text) as Line);
    wake?.();
  });
  child.on('exit', () => wake?.());
  return async (event, match = () => true) => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const i = seen.findIndex((l) => l.event === event && match(l));
      if (i >= 0) return seen.splice(i, 1)[0]!;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the pool process exited (${child.exitCode ?? child.signalCode}) before "${event}"`);
      if (Date.now() > deadline) throw new Error(`no "${event}" line within ${WAIT_MS} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
}

/** Each thread of each binding's worker, from /proc: its Cpus_allowed_list. */
function threadLists(kind: 'process' | 'thread', poolPid: number, bindings: Binding[]): string[] {
  return bindings.flatMap((b) => (kind === 'process' ? [...cpusOfEveryThread(b.pid!).values()] : [cpusOfThread(poolPid, b.tid!)]).map((l) => `slot ${b.slot}: ${l}`));
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind} pool with multi-CPU slots in a cgroup cpuset that shrinks to 0 and grows back to 0-1: every worker re-pinned to the full 0-1`, async (t) => {
    const why = cannotRun();
    if (why !== null) return t.skip(why);
    const cpuset = makeCpuset(`corepin-regrow-${process.pid}-${kind}`, '0-1');
    if (typeof cpuset === 'string') return t.skip(cpuset);
    const options = JSON.stringify({ placement: ['0-1', '0-1'], maxTasksPerChild: 20 });
    const child = spawn(process.execPath, [SCRIPT, cpuset.dir, INDEX, MODULE, kind, options], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const next = reader(child);
      const ready = (await next('ready')) as Extract<Line, { event: 'ready' }>;
      assert.deepEqual(ready.bindings.map((b) => b.cpus), ['0-1', '0-1']);

      cpuset.setCpus('0');
      await next('placementChange', (l) => l.event === 'placementChange' && l.usable === '0');
      // Let recycling replace every worker while only CPU 0 is usable: the new ones are born on 0.
      const firstIds = new Set(ready.bindings.map((b) => b.tid));
      for (let i = 0; ; i++) {
        child.stdin!.write('bindings\n');
        const now = (await next('bindings')) as Extract<Line, { event: 'bindings' }>;
        if (now.bindings.every((b) => !firstIds.has(b.tid))) break;
        if (i > 100) throw new Error('workers were not recycled while the cpuset was shrunk');
        await new Promise((r) => setTimeout(r, 100));
      }
      child.stdin!.write('pause\n');
      await next('paused');

      cpuset.setCpus('0-1');
      const grown = (await next('placementChange', (l) => l.event === 'placementChange' && l.usable === '0-1')) as Extract<Line, { event: 'placementChange' }>;
      assert.deepEqual(grown.moves.map((m) => m.to), ['0-1', '0-1'], 'both slots get 0-1 back');
      child.stdin!.write('bindings\n');
      const after = (await next('bindings')) as Extract<Line, { event: 'bindings' }>;
      const lists = threadLists(kind, ready.pid, after.bindings);
      t.diagnostic(`${kind}: after growing back, from /proc: ${[...new Set(lists)].join('; ')}`);
      assert.deepEqual(lists.filter((l) => !l.endsWith(': 0-1')), [], 'every thread of every worker is on exactly 0-1');
      assert.deepEqual(after.bindings.map((b) => [b.cpus, b.verified]), [['0-1', true], ['0-1', true]]);

      child.stdin!.write('finish\n');
      const done = (await next('done')) as Extract<Line, { event: 'done' }>;
      assert.deepEqual(done.rejected, [], 'no task lost or failed');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      for (let i = 0; i < 50; i++) {
        try {
          cpuset.remove();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  });
}
