import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import type { PolicyName } from '../../src/placement/plan.js';
import type { PlacementRequest } from '../../src/placement/PlacementRequest.js';
import { resolvePlacement } from '../../src/placement/resolve.js';
import { replanSlots } from '../../src/pool/replanSlots.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { seededRandom } from '../support/seededRandom.js';

/*
 * A CPU goes offline in a sysfs fixture, then comes back. These are the two steps the Pool takes when
 * its watch sees the usable CPUs change (Pool#replan): resolve the same request (resolvePlacement) over the fresh
 * topology, then replanSlots. Slots that lost a CPU move inside the usable CPUs; the others stay;
 * when the CPUs return every slot has its own set again. (The live version, a real cgroup cpuset
 * shrinking under a running pool, is cpusetShrink.test.ts.)
 */

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/sysfs/', import.meta.url));

/** A writable copy of a fixture whose online CPUs the test sets, as CPU hotplug would. */
function machine(name: string): { root: string; setOnline(cpus: CpuSet): void; close(): void } {
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'corepin-offline-'));
  const root = join(scratch, name);
  cpSync(join(FIXTURES, name), root, { recursive: true });
  const cpuDir = join(root, 'sys/devices/system/cpu');
  const all = readTopology(root).pus.map((p) => p.cpu);
  return {
    root,
    setOnline(cpus) {
      writeFileSync(join(cpuDir, 'online'), `${cpus.toList()}\n`);
      for (const c of all) if (existsSync(join(cpuDir, `cpu${c}`))) writeFileSync(join(cpuDir, `cpu${c}`, 'online'), cpus.has(c) ? '1\n' : '0\n');
    },
    close: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

/** What the pool does on a change: the fresh placement (or null when it cannot be made) and the moves. */
function replan(placement: PlacementRequest, own: readonly (CpuSet | null)[], current: readonly (CpuSet | null)[], root: string) {
  const topology = readTopology(root);
  let fresh: (CpuSet | null)[] | null;
  try {
    fresh = [...resolvePlacement(placement, topology, own.length).slots];
  } catch {
    fresh = null;
  }
  return { usable: topology.usable, moves: replanSlots(own, current, fresh, topology.usable) };
}

function apply(current: (CpuSet | null)[], moves: ReturnType<typeof replan>['moves']): void {
  for (const m of moves) {
    assert.ok(current[m.slot]!.equals(m.from), `move of slot ${m.slot} starts from its current set`);
    current[m.slot] = m.to;
  }
}

test('intel-2s-smt, spread over 8 slots: the CPUs of slots 0 and 3 go offline — only those slots move, inside the usable CPUs; back online, they return', (t) => {
  const m = machine('intel-2s-smt');
  try {
    const own = [...resolvePlacement('spread', readTopology(m.root), 8).slots];
    const everything = readTopology(m.root).usable;
    const lost = own[0]!.union(own[3]!);
    m.setOnline(everything.difference(lost));
    const down = replan('spread', own, own, m.root);
    assert.deepEqual(down.moves.map((x) => x.slot).sort(), [0, 3]);
    for (const x of down.moves) {
      assert.ok(!x.to.isEmpty && x.to.isSubsetOf(down.usable), `slot ${x.slot} → ${x.to.toList()} inside usable ${down.usable.toList()}`);
      assert.ok(x.to.intersect(lost).isEmpty, `slot ${x.slot} is off the offline CPUs`);
    }
    const current = [...own];
    apply(current, down.moves);
    t.diagnostic(`offline ${lost.toList()}: ${down.moves.map((x) => `slot ${x.slot} ${x.from.toList()} → ${x.to.toList()}`).join('; ')}`);

    m.setOnline(everything);
    const up = replan('spread', own, current, m.root);
    apply(current, up.moves);
    assert.deepEqual(up.moves.map((x) => x.slot).sort(), [0, 3]);
    assert.deepEqual(current.map((c) => c!.toList()), own.map((c) => c!.toList()), 'every slot has its own CPUs again');
  } finally {
    m.close();
  }
});

test('an explicit list names a CPU that goes offline: the slot keeps what is left of its set, then the whole usable set, then its own again', () => {
  const m = machine('vm-nocache'); // 4 vCPUs, 0-3
  try {
    const placement = ['0-1', '2-3'];
    const own = [...resolvePlacement(placement, readTopology(m.root), 2).slots];
    const current = [...own];
    m.setOnline(CpuSet.parse('0-2', 'list'));
    apply(current, replan(placement, own, current, m.root).moves);
    assert.deepEqual(current.map((c) => c!.toList()), ['0-1', '2']);
    m.setOnline(CpuSet.parse('0-1', 'list'));
    apply(current, replan(placement, own, current, m.root).moves);
    assert.deepEqual(current.map((c) => c!.toList()), ['0-1', '0-1']);
    m.setOnline(CpuSet.parse('0-3', 'list'));
    apply(current, replan(placement, own, current, m.root).moves);
    assert.deepEqual(current.map((c) => c!.toList()), ['0-1', '2-3']);
  } finally {
    m.close();
  }
});

test('seeded random hotplug on every multi-CPU fixture and policy: slots stay inside the usable CPUs, untouched slots never move, all return home', () => {
  const r = seededRandom(9009);
  const policies: PolicyName[] = ['spread', 'compact', 'cores', 'round-robin', 'l3', 'numa', 'package'];
  for (const name of ['intel-2s-smt', 'amd-epyc', 'intel-hybrid', 'arm-biglittle', 'intel-snc', 'vm-nocache']) {
    const m = machine(name);
    try {
      const everything = readTopology(m.root).usable;
      for (let round = 0; round < 8; round++) {
        const policy = r.pick(policies);
        const workers = 1 + r.int(everything.size + 2);
        let own: (CpuSet | null)[];
        try {
          own = [...resolvePlacement(policy, readTopology(m.root), workers).slots];
        } catch {
          continue; // a policy this machine cannot serve (e.g. numa without NUMA nodes)
        }
        const current = [...own];
        for (let step = 0; step < 4; step++) {
          // Some CPUs offline (never all of them), as hotplug or a shrinking cpuset does.
          const online = CpuSet.from(everything.toArray().filter(() => r.chance(0.6)));
          const usableNow = online.isEmpty ? CpuSet.of(everything.first!) : online;
          m.setOnline(usableNow);
          const before = [...current];
          const { usable, moves } = replan(policy, own, current, m.root);
          apply(current, moves);
          const moved = new Set(moves.map((x) => x.slot));
          current.forEach((c, i) => {
            assert.ok(c!.isSubsetOf(usable) && !c!.isEmpty, `${name} ${policy}: slot ${i} ${c!.toList()} outside usable ${usable.toList()}`);
            if (own[i]!.isSubsetOf(usable)) assert.ok(c!.equals(own[i]!), `${name} ${policy}: slot ${i} has its own CPUs when they are usable`);
            if (!moved.has(i)) assert.ok(c!.equals(before[i]!));
          });
        }
        m.setOnline(everything);
        apply(current, replan(policy, own, current, m.root).moves);
        assert.deepEqual(current.map((c) => c!.toList()), own.map((c) => c!.toList()), `${name} ${policy}: home again`);
      }
    } finally {
      m.close();
    }
  }
});
