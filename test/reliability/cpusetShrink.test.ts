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
 * Changing ground, for real: a pool runs under steady load in a child process inside a cgroup v1
 * cpuset made by the test; the test rewrites cpuset.cpus from 0-1 to 0 (as a Kubernetes node does
 * when it hands CPU 1 to another pod) and back. The pool must notice, move the slot that lost its
 * CPU inside the usable set, report a `placementChange` event, lose no task, and give the slot its
 * CPU back when it returns — all checked from /proc by the test.
 */

const SCRIPT = fileURLToPath(new URL('../../../test/fixtures/reliability/shrinkingPool.mjs', import.meta.url));
const MODULE = fileURLToPath(new URL('../../../test/fixtures/reliability/faultTasks.mjs', import.meta.url));
const INDEX = new URL('../../src/index.js', import.meta.url).href;
/** Hang guard for each awaited line (the pool checks every 100 ms here); not a timing assertion. */
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
  | { event: 'placementChange'; usable: string; moves: { slot: number; from: string; to: string }[] }
  | { event: 'done'; submitted: number; resolved: number; rejected: string[] };

/** Why this cannot run here, or null. */
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

/** Lines of the child's stdout, awaited one event type at a time. */
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

/** Every binding's worker, read from /proc by the test: each of its threads inside the slot's CPUs. */
function checkFromProc(kind: 'process' | 'thread', poolPid: number, bindings: Binding[], within: CpuSet): void {
  for (const b of bindings) {
    assert.ok(b.pid !== null && b.tid !== null && b.cpus !== null, `slot ${b.slot} has a ready worker`);
    const slot = CpuSet.parse(b.cpus, 'list');
    assert.ok(slot.isSubsetOf(within), `slot ${b.slot} on ${b.cpus}, inside ${within.toList()}`);
    const lists = kind === 'process' ? [...cpusOfEveryThread(b.pid).values()] : [cpusOfThread(poolPid, b.tid)];
    for (const l of lists) assert.ok(CpuSet.parse(l, 'list').isSubsetOf(slot), `slot ${b.slot}: a thread of its worker is on ${l}, not in ${b.cpus}`);
    assert.equal(b.verified, true, `slot ${b.slot} verified by the pool`);
  }
}

for (const kind of ['process', 'thread'] as const) {
  test(`${kind} pool in a cgroup cpuset that shrinks from 0-1 to 0 and grows back: slots move, an event says so, no task is lost, CPU 1 is used again`, async (t) => {
    const why = cannotRun();
    if (why !== null) return t.skip(why);
    const cpuset = makeCpuset(`corepin-shrink-${process.pid}-${kind}`, '0-1');
    if (typeof cpuset === 'string') return t.skip(cpuset);
    const child = spawn(process.execPath, [SCRIPT, cpuset.dir, INDEX, MODULE, kind], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const next = reader(child);
      const ready = (await next('ready')) as Extract<Line, { event: 'ready' }>;
      assert.deepEqual(ready.bindings.map((b) => b.cpus), ['0', '1'], 'spread: one CPU per slot');
      checkFromProc(kind, ready.pid, ready.bindings, CpuSet.of(0, 1));

      cpuset.setCpus('0');
      const shrunk = (await next('placementChange', (l) => l.event === 'placementChange' && l.usable === '0')) as Extract<Line, { event: 'placementChange' }>;
      assert.deepEqual(shrunk.moves, [{ slot: 1, from: '1', to: '0' }]);
      child.stdin!.write('bindings\n');
      const during = (await next('bindings')) as Extract<Line, { event: 'bindings' }>;
      checkFromProc(kind, ready.pid, during.bindings, CpuSet.of(0));

      cpuset.setCpus('0-1');
      const grown = (await next('placementChange', (l) => l.event === 'placementChange' && l.usable === '0-1')) as Extract<Line, { event: 'placementChange' }>;
      assert.deepEqual(grown.moves, [{ slot: 1, from: '0', to: '1' }]);
      child.stdin!.write('bindings\n');
      const after = (await next('bindings')) as Extract<Line, { event: 'bindings' }>;
      assert.deepEqual(after.bindings.map((b) => b.cpus), ['0', '1'], 'CPU 1 is used again');
      checkFromProc(kind, ready.pid, after.bindings, CpuSet.of(0, 1));

      child.stdin!.write('finish\n');
      const done = (await next('done')) as Extract<Line, { event: 'done' }>;
      t.diagnostic(`${kind}: ${done.submitted} tasks through the change, ${done.resolved} resolved`);
      assert.deepEqual(done.rejected, [], 'no task lost or failed');
      assert.equal(done.resolved, done.submitted);
      assert.ok(done.submitted > 16, 'the pool was under load throughout');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      // Its workers die with it (parent-death signal); give the kernel a moment before rmdir.
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
