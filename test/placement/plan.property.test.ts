import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { plan } from '../../src/placement/plan.js';
import { POLICY_NAMES } from '../../src/placement/plan.js';
import type { Plan, PolicyName } from '../../src/placement/plan.js';
import { PlacementError } from '../../src/placement/errors.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import type { Topology } from '../../src/topology/Topology.js';

const POLICIES = POLICY_NAMES.filter((p) => p !== 'list');

/** A random machine: random levels, numbering, and a random usable subset (sometimes all). */
const machine = fc
  .record({
    package: fc.integer({ min: 1, max: 3 }),
    numa: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    l3: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    l2: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    core: fc.integer({ min: 1, max: 4 }),
    pu: fc.integer({ min: 1, max: 3 }),
    split: fc.boolean(),
    restrict: fc.boolean(),
    seed: fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
  })
  .map((m) => {
    const total = m.package * (m.numa ?? 1) * (m.l3 ?? 1) * (m.l2 ?? 1) * m.core * m.pu;
    const levels = [`package:${m.package}`, m.numa && `numa:${m.numa}`, m.l3 && `l3:${m.l3}`, m.l2 && `l2:${m.l2}`, `core:${m.core}`, `pu:${m.pu}`];
    let spec = `${levels.filter(Boolean).join(' ')} numbering:${m.split ? 'split' : 'linear'}`;
    if (m.restrict) {
      const allowed = m.seed.slice(0, total).flatMap((b, i) => (b ? [i] : []));
      spec += ` allowed:${CpuSet.from(allowed.length ? allowed : [total - 1]).toList()}`;
    }
    return { spec, topology: syntheticTopology(spec) };
  });

const run = fc.record({
  m: machine,
  workers: fc.integer({ min: 1, max: 60 }),
  policy: fc.constantFrom(...POLICIES),
  smt: fc.boolean(),
  reserveFirst: fc.boolean(),
});

function coreOf(t: Topology, cpu: number): number {
  return t.pu(cpu)!.core!;
}

function tryPlan(t: Topology, workers: number, policy: PolicyName, smt: boolean, reserveFirst: boolean): Plan | PlacementError {
  try {
    return plan(t, workers, policy, { smt, ...(reserveFirst ? { reserve: String(t.usable.first) } : {}) });
  } catch (err) {
    if (err instanceof PlacementError) return err;
    throw err;
  }
}

test('every slot is non-empty, usable, unreserved; wrap-around follows slot i = place i mod places', () => {
  fc.assert(
    fc.property(run, ({ m, workers, policy, smt, reserveFirst }) => {
      const t = m.topology;
      const p = tryPlan(t, workers, policy, smt, reserveFirst);
      if (p instanceof PlacementError) {
        // Only when nothing is left: the single usable CPU (or core, with smt:false) was reserved.
        assert.ok(reserveFirst);
        assert.match(p.message, /no usable CPU left/);
        return;
      }
      assert.equal(p.slots.length, workers);
      for (const s of p.slots) {
        assert.ok(!s.cpus.isEmpty, `${m.spec} ${policy}: empty slot ${s.slot}`);
        assert.ok(s.cpus.isSubsetOf(t.usable), `${m.spec} ${policy}: slot ${s.slot} ${s.cpus.toList()} not usable`);
        assert.ok(s.cpus.intersect(p.reserved).isEmpty, 'slot uses a reserved CPU');
        if (s.slot >= p.places) {
          assert.ok(s.cpus.equals(p.slots[s.slot % p.places]!.cpus));
          assert.ok(s.wrapped);
        } else assert.ok(!s.wrapped);
      }
      // Without wrap-around, single-PU policies never give one PU twice.
      if (['round-robin', 'compact', 'spread', 'performance-first'].includes(policy) && workers <= p.usable.size) {
        assert.equal(CpuSet.from(p.slots.flatMap((s) => s.cpus.toArray())).size, workers);
      }
    }),
    { numRuns: 400 },
  );
});

test('cores never puts two slots on one core (while there are enough cores)', () => {
  fc.assert(
    fc.property(machine, fc.integer({ min: 1, max: 40 }), fc.boolean(), ({ topology: t, spec }, workers, smt) => {
      const p = plan(t, workers, 'cores', { smt });
      const usableCores = new Set(p.usable.toArray().map((c) => coreOf(t, c)));
      const cores = p.slots.map((s) => {
        const owners = new Set(s.cpus.toArray().map((c) => coreOf(t, c)));
        assert.equal(owners.size, 1, `${spec}: slot ${s.slot} spans cores`);
        const core = [...owners][0]!;
        // The slot holds every usable thread of its core.
        assert.ok(t.objects('core')[core]!.cpus.intersect(p.usable).equals(s.cpus));
        return core;
      });
      if (workers <= usableCores.size) assert.equal(new Set(cores).size, workers, `${spec}: a core was shared`);
    }),
    { numRuns: 300 },
  );
});

test('spread never shares a core while a free core exists', () => {
  fc.assert(
    fc.property(machine, fc.integer({ min: 1, max: 60 }), fc.boolean(), ({ topology: t, spec }, workers, smt) => {
      const p = plan(t, workers, 'spread', { smt });
      const unwrapped = p.slots.filter((s) => !s.wrapped);
      const load = new Map<number, number>();
      for (const c of p.usable) load.set(coreOf(t, c), 0);
      for (const s of unwrapped) {
        assert.equal(s.cpus.size, 1);
        const core = coreOf(t, s.cpus.first!);
        load.set(core, load.get(core)! + 1);
      }
      const shared = [...load.values()].some((n) => n >= 2);
      const free = [...load.values()].some((n) => n === 0);
      assert.ok(!(shared && free), `${spec} (${workers} workers): a core is shared while another is free`);
    }),
    { numRuns: 400 },
  );
});

test('l3 / numa / package: distinct domains before any wrap-around', () => {
  fc.assert(
    fc.property(machine, fc.integer({ min: 1, max: 12 }), fc.constantFrom<PolicyName>('l3', 'numa', 'package'), ({ topology: t }, workers, policy) => {
      const p = plan(t, workers, policy);
      const first = p.slots.filter((s) => !s.wrapped);
      for (let i = 0; i < first.length; i++) for (let j = i + 1; j < first.length; j++) assert.ok(first[i]!.cpus.intersect(first[j]!.cpus).isEmpty);
    }),
    { numRuns: 200 },
  );
});

test('deterministic: the same input gives the same placement, also from a fresh topology object', () => {
  fc.assert(
    fc.property(run, ({ m, workers, policy, smt, reserveFirst }) => {
      const a = tryPlan(m.topology, workers, policy, smt, reserveFirst);
      const b = tryPlan(syntheticTopology(m.spec), workers, policy, smt, reserveFirst);
      const form = (x: Plan | PlacementError): unknown => (x instanceof PlacementError ? x.message : JSON.stringify(x));
      assert.equal(form(a), form(b));
    }),
    { numRuns: 200 },
  );
});
