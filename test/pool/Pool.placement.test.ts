import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, readTopology, syntheticTopology, usableCpus, writeSysfs, type Binding, type PoolOptions } from '../../src/index.js';
import { cpusOfEveryThread, cpusOfThread } from '../support/procStatus.js';
import { taskFixture } from '../support/taskFixture.js';

/*
 * Placement intent flows one way: the pool keeps its request and resolves it again, on the same
 * topology source, when the usable CPUs change. Each test runs a pool on a sysfs fixture written to a
 * temp dir (its CPU numbers are this machine's 0 and 1, so the workers are pinned for real and
 * checked in /proc), then changes the fixture's online CPUs as hotplug would.
 */

const basic = taskFixture('basic.mjs');
/** Hang guard for one awaited event; not a timing assertion. */
const WAIT_MS = 20_000;

function needsCpus01(t: { skip(msg: string): void }): boolean {
  const usable = usableCpus();
  if (usable.has(0) && usable.has(1)) return true;
  t.skip(`the fixtures' CPUs 0 and 1 must both be usable here to pin workers on them; this process has ${usable.toList()}`);
  return false;
}

/** A fake sysfs tree for a synthetic machine, with `online` rewritable. */
function fixture(t: { after(fn: () => void): void }, spec: string, online?: string): { root: string; setOnline(list: string): void } {
  const root = mkdtempSync(join(tmpdir(), `corepin-pool-placement-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeSysfs(syntheticTopology(spec), root);
  const setOnline = (list: string): void => writeFileSync(join(root, 'sys/devices/system/cpu/online'), `${list}\n`);
  if (online !== undefined) setOnline(online);
  return { root, setOnline };
}

function start(t: { after(fn: () => Promise<void>): void }, options: Omit<PoolOptions, 'module'>): Pool {
  const pool = new Pool({ module: basic, kind: 'thread', cpuCheckInterval: 50, ...options });
  t.after(() => pool.terminate());
  return pool;
}

const slotLists = (pool: Pool): (string | null)[] => pool.placement.slots.map((s) => s?.toList() ?? null);

/** Every worker is on exactly its slot's CPUs according to /proc (all threads of a process worker). */
async function assertPinned(pool: Pool, what: string): Promise<void> {
  await pool.ready();
  const bindings: Binding[] = pool.bindings();
  for (const b of bindings) {
    assert.equal(b.verified, true, `${what}: slot ${b.slot} verified`);
    const seen = pool.kind === 'process' ? [...cpusOfEveryThread(b.pid!).values()] : [cpusOfThread(b.pid!, b.tid!)];
    for (const cpus of seen) assert.equal(cpus, b.cpus!.toList(), `${what}: slot ${b.slot} in /proc`);
  }
}

/** The next placementChange; the timer also keeps the event loop alive (the pool's watch and idle workers do not). */
async function nextChange(pool: Pool): Promise<void> {
  const guard = new AbortController();
  const timer = setTimeout(() => guard.abort(new Error(`no placementChange within ${WAIT_MS} ms`)), WAIT_MS);
  try {
    await once(pool, 'placementChange', { signal: guard.signal });
  } finally {
    clearTimeout(timer);
  }
}

test("policy 'cores' stays 'cores' after the usable CPUs change: a core's second thread comes back, each slot gets the whole core", async (t) => {
  if (!needsCpus01(t)) return;
  const m = fixture(t, 'core:1 pu:2', '0'); // one core {0,1}, CPU 1 offline
  const pool = start(t, { placement: 'cores', workers: 2, topology: readTopology(m.root) });
  assert.deepEqual(slotLists(pool), ['0', '0'], 'the fixture has one core, of which only CPU 0 is online');
  await assertPinned(pool, 'before');
  const changed = nextChange(pool);
  m.setOnline('0-1');
  await changed;
  assert.deepEqual(pool.placement.request, 'cores', 'the request is kept as given');
  assert.deepEqual(slotLists(pool), ['0-1', '0-1'], 'both slots on the whole core again (an explicit list would have stayed on 0)');
  await assertPinned(pool, 'after');
});

test("policy 'l3' on a fixture: a slot is the usable part of its L3, before and after a CPU comes back (process workers)", async (t) => {
  if (!needsCpus01(t)) return;
  const m = fixture(t, 'l3:1 core:2 pu:1', '0'); // one L3 over two cores {0} {1}
  const pool = start(t, { kind: 'process', placement: 'l3', workers: 1, topology: readTopology(m.root) });
  assert.deepEqual(slotLists(pool), ['0']);
  await assertPinned(pool, 'before');
  const changed = nextChange(pool);
  m.setOnline('0-1');
  await changed;
  assert.deepEqual(slotLists(pool), ['0-1'], 'the whole L3');
  await assertPinned(pool, 'after');
});

test("policy 'numa' on a fixture: a node goes offline, both slots share the one left; it comes back, each has its node again", async (t) => {
  if (!needsCpus01(t)) return;
  const m = fixture(t, 'numa:2 core:1 pu:1'); // node 0 = CPU 0, node 1 = CPU 1
  const pool = start(t, { placement: { policy: 'numa' }, workers: 2, topology: readTopology(m.root) });
  assert.deepEqual(slotLists(pool), ['0', '1']);
  await assertPinned(pool, 'before');
  let changed = nextChange(pool);
  m.setOnline('0');
  await changed;
  assert.deepEqual(slotLists(pool), ['0', '0']);
  await assertPinned(pool, 'node 1 offline');
  changed = nextChange(pool);
  m.setOnline('0-1');
  await changed;
  assert.deepEqual(slotLists(pool), ['0', '1']);
  assert.deepEqual(pool.placement.request, { policy: 'numa' });
  await assertPinned(pool, 'back');
});

test('a location request is resolved again after a change (not frozen into the list it first gave); a synthetic topology is not watched', async (t) => {
  if (!needsCpus01(t)) return;
  const m = fixture(t, 'core:2 pu:1', '0');
  const pool = start(t, { placement: '0-1', workers: 2, topology: readTopology(m.root) });
  assert.deepEqual(slotLists(pool), ['0', '0'], 'CPU 1 is offline in the fixture: both slots on 0');
  await assertPinned(pool, 'before');
  const changed = nextChange(pool);
  m.setOnline('0-1');
  await changed;
  assert.deepEqual(slotLists(pool), ['0', '1'], 'spread over 0-1 again (the list ["0", "0"] would have stayed)');
  await assertPinned(pool, 'after');
  const fixed = start(t, { placement: { policy: 'spread', within: '1' }, workers: 1, topology: syntheticTopology('core:2 pu:1') });
  assert.deepEqual(slotLists(fixed), ['1']);
  assert.equal(fixed.placement.usable.toList(), '1', 'the CPUs the request may use');
  await assertPinned(fixed, 'synthetic');
});

test('isolated CPUs: left out by default; isolated: true gives each worker exactly one, never a span', async (t) => {
  if (!needsCpus01(t)) return;
  const plain = fixture(t, 'core:2 pu:1 isolated:1');
  const byDefault = start(t, { topology: readTopology(plain.root) });
  assert.deepEqual(slotLists(byDefault), ['0'], 'default pool: one worker, on the CPU that is not isolated');
  await assertPinned(byDefault, 'default');
  const asked = start(t, { isolated: true, topology: readTopology(plain.root) });
  assert.deepEqual(slotLists(asked), ['1'], 'isolated: true — only the isolated CPU');
  await assertPinned(asked, 'isolated');
  const smt = fixture(t, 'core:1 pu:2 isolated:0-1'); // one core, both threads isolated
  const cores = start(t, { placement: { policy: 'cores', isolated: true }, topology: readTopology(smt.root) });
  assert.deepEqual(slotLists(cores), ['0', '1'], "'cores' would span the core; isolated gives one CPU each");
  await assertPinned(cores, 'cores + isolated');
  assert.throws(() => new Pool({ module: basic, isolated: true, topology: syntheticTopology('core:2') }), { code: 'ERR_PLACEMENT' });
});
