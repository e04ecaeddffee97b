import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { allowedMemNodes } from '../../src/launch/memoryPolicy.js';
import { CLI, corepin, oneLine } from '../support/cli.js';
import { stop } from '../support/children.js';
import { childrenOf } from '../support/childrenOf.js';

const TWO_NODES = 'package:2 numa:1 core:2 pu:1'; // node 0: CPUs 0-1, node 1: CPUs 2-3

test('plan --mem bind with cpuset.mems 1: slots on node 1 bind there, slots on node 0 fall back to none, and say why', () => {
  const r = corepin(['plan', '-n', '2', '--policy', 'numa', '--synthetic', TWO_NODES, '--mem', 'bind', '--mems', '1', '--nice', '5', '--sched', 'batch']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ +0 {2}0-1 +none\* +5 +batch +slot$/m);
  assert.match(r.stdout, /^ +1 {2}2-3 +bind:1 +5 +batch +slot$/m);
  assert.match(r.stdout, /^\* slot 0: bind not applied: cpuset\.mems \(1\) forbids node 0, no node of the slot is allowed$/m);
  const j = corepin(['plan', '-n', '2', '--policy', 'numa', '--synthetic', TWO_NODES, '--mem', 'bind', '--mems', '1', '--json']);
  const json = JSON.parse(j.stdout) as { binding: string; nice: number | null; slots: { pinned: string; memory: { mode: string; nodes: number[]; note: string | null } }[] };
  assert.deepEqual(json.slots.map((s) => [s.pinned, s.memory.mode, s.memory.nodes]), [['0-1', 'none', []], ['2-3', 'bind', [1]]]);
  assert.equal(json.binding, 'slot');
  assert.equal(json.nice, null);
});

test("plan --binding pool: every slot pinned to the union; interleave spans the union's nodes", () => {
  const j = corepin(['plan', '-n', '2', '--synthetic', TWO_NODES, '--binding', 'pool', '--mem', 'interleave', '--json']);
  assert.equal(j.status, 0, j.stderr);
  const json = JSON.parse(j.stdout) as { binding: string; slots: { cpus: string; pinned: string; memory: { mode: string; nodes: number[] } }[] };
  assert.equal(json.binding, 'pool');
  for (const s of json.slots) {
    assert.equal(s.pinned, '0,2');
    assert.deepEqual([s.memory.mode, s.memory.nodes], ['interleave', [0, 1]]);
  }
});

test('plan: bad --binding, --mems, --mem give one line, exit 2', () => {
  for (const [args, message] of [
    [['--binding', 'core'], /--binding must be one of slot, pool; got "core"/],
    [['--mem', 'bind', '--mems', 'x'], /--mems must be a node list like 0 or 0-1; got "x"/],
    [['--mem', 'all'], /--mem must be one of local, bind, preferred, interleave; got "all"/],
  ] as [string[], RegExp][]) {
    const r = corepin(['plan', '-n', '2', '--synthetic', TWO_NODES, ...args]);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, message);
  }
});

test('report PID shows every thread\'s memory policy, nice and class as /proc has them (text and --json)', async (t) => {
  const child = spawn(process.execPath, [CLI, '-c', '0', '--mem', 'bind', '--nice', '3', '--sched', 'idle', '--', 'sleep', '30'], { stdio: 'ignore' });
  t.after(() => stop(child));
  await once(child, 'spawn');
  // The sleep is corepin's child: find it.
  let sleeper: number | undefined;
  for (let i = 0; i < 100 && sleeper === undefined; i++) {
    await sleep(50);
    sleeper = childrenOf(child.pid!)[0];
  }
  assert.ok(sleeper !== undefined, 'the launched command started');
  const j = corepin(['report', String(sleeper), '--json']);
  assert.equal(j.status, 0, j.stderr);
  const e = (JSON.parse(j.stdout) as { entries: { memory: string; nice: number; sched: string }[] }).entries[0]!;
  assert.deepEqual([e.memory, e.nice, e.sched], [`bind:${allowedMemNodes('self')[0] ?? 0}`, 3, 'idle']);
  const text = corepin(['report', String(sleeper)]);
  assert.match(text.stdout, /MEMORY +NICE +SCHED/);
  assert.match(text.stdout, / bind:\d+ +3 +idle/);
});

test('watch shows the memory policy (header, JSON) and NICE/SCHED columns when a thread is not at the default', async (t) => {
  const child = spawn(process.execPath, [CLI, '-c', '0', '--mem', 'preferred', '--nice', '4', '--sched', 'batch', '--', 'sleep', '30'], { stdio: 'ignore' });
  t.after(() => stop(child));
  await once(child, 'spawn');
  let sleeper: number | undefined;
  for (let i = 0; i < 100 && sleeper === undefined; i++) {
    await sleep(50);
    sleeper = childrenOf(child.pid!)[0];
  }
  assert.ok(sleeper !== undefined, 'the launched command started');
  const node0 = allowedMemNodes('self')[0] ?? 0;
  const j = corepin(['watch', String(sleeper), '--once', '--json', '-n', '0.2']);
  assert.equal(j.status, 0, j.stderr);
  const rec = JSON.parse(j.stdout.trim().split('\n').at(-1)!) as { memory: string; threads: { nice: number; sched: string }[] };
  assert.equal(rec.memory, `prefer:${node0}`);
  assert.deepEqual(rec.threads.map((x) => [x.nice, x.sched]), [[4, 'batch']]);
  const text = corepin(['watch', String(sleeper), '--once', '-n', '0.2']);
  assert.match(text.stdout, new RegExp(`memory prefer:${node0}`));
  assert.match(text.stdout, /MIGR +NICE +SCHED +STRIP/);
  assert.match(text.stdout, / 4 +batch /);
});
