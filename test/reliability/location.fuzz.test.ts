import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import { LocationError } from '../../src/topology/errors.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { resolveLocation } from '../../src/topology/resolveLocation.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { SyntheticSpecError } from '../../src/topology/errors.js';
import type { Topology } from '../../src/topology/Topology.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

/*
 * Seeded fuzz of the location grammar (`core:0-1`, `package:1.core:2,pu:7`, …) against synthetic
 * machines (some with offline or disallowed CPUs) and every sysfs fixture: resolveLocation either
 * returns CPUs or throws LocationError, nothing else; a result made only of locations is
 * non-empty and inside the machine's usable CPUs.
 */

const CASES = 50_000;
const r = seededRandom(4004);

const TYPES = ['machine', 'package', 'socket', 'die', 'numa', 'node', 'l3', 'l2', 'core', 'pu', 'thread', 'CORE', 'L3'];
const BAD_TYPES = ['cpu', 'zz', 'constructor', '__proto__', 'toString', 'x1', ''];
const INDICES = ['0', '1', '2', '3', '0-1', '1-3', '0-0', 'all', 'even', 'odd', 'ALL', ' 1 ', '00'];
const BAD_INDICES = ['', '-1', '1-0', '0-', '-', '99999999999999999999', '0x1', 'a', '1.5', '0-99999', '1e3', '٣'];
const PLAIN = ['0', '0-3', '0-31:2', '7', '65535', '0-65535', '0-3,8'];
const NOISE = [...',.:- \t\n0123456789', 'é', '😀', '\u0000', '\u00a0'];

const SPECS = [
  'package:2 numa:2 l3:2 core:4 pu:2 numbering:split',
  'core:4 pu:2 allowed:2-5',
  'package:2 core:2 pu:2 online:0-3,6',
  'core:1',
  'package:1 die:2 l2:2 core:2 pu:1',
  'core:8 pu:1 allowed:3',
  'package:2 numa:2 core:2 allowed:0,7 online:0-6',
  'core:2 pu:2 allowed:',
];

function randomSpec(): string {
  const levels = ['package', 'die', 'numa', 'l3', 'l2', 'core', 'pu'].filter(() => r.chance(0.5));
  const parts = levels.map((l) => `${l}:${1 + r.int(3)}`);
  if (r.chance(0.3)) parts.push(`online:0-${r.int(12)}`);
  if (r.chance(0.3)) parts.push(`allowed:${r.int(6)}-${r.int(20)}`);
  if (r.chance(0.3)) parts.push(`numbering:${r.pick(['linear', 'split'])}`);
  return parts.join(' ') || 'core:1';
}

function machines(): { name: string; topology: Topology }[] {
  const out: { name: string; topology: Topology }[] = [];
  for (const spec of [...SPECS, ...Array.from({ length: 30 }, randomSpec)]) {
    try {
      out.push({ name: `synthetic ${spec}`, topology: syntheticTopology(spec) });
    } catch (err) {
      if (!(err instanceof SyntheticSpecError)) throw err; // e.g. a random spec with levels out of order
    }
  }
  const fixtures = fileURLToPath(new URL('../../../test/fixtures/sysfs/', import.meta.url));
  for (const name of readdirSync(fixtures, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    out.push({ name: `fixture ${name.name}`, topology: readTopology(`${fixtures}${name.name}`) });
  }
  return out;
}

function segment(): string {
  return `${r.pick(r.chance(0.9) ? TYPES : BAD_TYPES)}:${r.pick(r.chance(0.9) ? INDICES : BAD_INDICES)}`;
}

function item(): string {
  if (r.chance(0.15)) return r.pick(PLAIN);
  return Array.from({ length: 1 + r.int(r.chance(0.7) ? 1 : 4) }, segment).join('.');
}

function mutate(text: string): string {
  let s = text;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const i = r.int(s.length + 1);
    switch (r.int(6)) {
      case 0: s = s.slice(0, i) + r.pick(NOISE) + s.slice(i); break;
      case 1: s = s.slice(0, i) + s.slice(i + 1); break;
      case 2: s = s.slice(0, i) + r.pick(NOISE) + s.slice(i + 1); break;
      case 3: s = s.slice(0, i); break;
      case 4: s = s.slice(0, i) + s + s.slice(i); break;
      default: s = s.slice(i) + s.slice(0, i);
    }
  }
  return s;
}

function location(): string {
  const text = Array.from({ length: 1 + r.int(3) }, item).join(',');
  return r.chance(0.4) ? mutate(text) : text;
}

/** Whether every comma item is a `type:…` location (no plain CPU numbers, taken as written). */
function onlyLocations(text: string): boolean {
  return text.split(',').every((i) => !/^\d/.test(i.trim()));
}

test(`location grammar fuzz: ${CASES} random and mutated locations give CPUs or a LocationError, never another exception`, (t) => {
  const all = machines();
  assert.ok(all.length >= 30, 'enough machines to fuzz against');
  const counts = { resolved: 0, locationError: 0 };
  const bad: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const { name, topology } = r.pick(all);
    const text = location();
    try {
      const cpus = resolveLocation(text, topology);
      assert.ok(cpus instanceof CpuSet);
      if (onlyLocations(text)) {
        if (cpus.isEmpty) bad.push(`${name}: ${JSON.stringify(text)} resolved to no CPU`);
        if (!cpus.isSubsetOf(topology.usable)) bad.push(`${name}: ${JSON.stringify(text)} → ${cpus.toList()}, outside usable ${topology.usable.toList()}`);
      }
      counts.resolved++;
    } catch (err) {
      if (err instanceof LocationError && err.code === 'ERR_LOCATION' && err.input === text && err.message.startsWith('bad location ')) {
        counts.locationError++;
        continue;
      }
      bad.push(`${name}: ${JSON.stringify(text)} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
  }
  t.diagnostic(`seed ${r.seed}: ${counts.resolved} resolved, ${counts.locationError} LocationError over ${all.length} machines`);
  // Both outcomes must be common, or the generator is not reaching the resolver.
  assert.ok(counts.resolved > CASES / 20, `only ${counts.resolved} resolved`);
  assert.ok(counts.locationError > CASES / 20, `only ${counts.locationError} errors`);
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} bad outcomes (seed ${r.seed})`);
});
