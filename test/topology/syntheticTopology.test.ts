import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTopology } from '../../src/topology/readTopology.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { SyntheticSpecError } from '../../src/topology/errors.js';
import type { Topology } from '../../src/topology/Topology.js';
import { topologyToJson } from '../../src/topology/topologyJson.js';
import { writeSysfs } from '../../src/topology/writeSysfs.js';

test('package:2 numa:2 l3:2 core:4 pu:2 has the counts the spec says, siblings adjacent by default', () => {
  const t = syntheticTopology('package:2 numa:2 l3:2 core:4 pu:2');
  assert.deepEqual(
    (['package', 'numa', 'l3', 'core', 'pu'] as const).map((x) => t.objects(x).length),
    [2, 4, 8, 32, 64],
  );
  assert.equal(t.objects('core')[0]!.cpus.toList(), '0-1');
  assert.equal(t.objects('numa')[3]!.cpus.toList(), '48-63');
  assert.equal(t.has('l2'), false);
  assert.equal(t.source, 'synthetic:package:2 numa:2 l3:2 core:4 pu:2');
});

test('numbering:split numbers siblings n and n+cores; online/allowed/isolated options set the usable view', () => {
  const t = syntheticTopology('socket:1 core:4 thread:2 numbering:split online:0-6 allowed:1-7 isolated:2');
  assert.equal(t.objects('core')[1]!.cpus.toList(), '1,5');
  assert.equal(t.online.toList(), '0-6');
  assert.equal(t.allowed.toList(), '1-7');
  assert.equal(t.usable.toList(), '1-6');
  assert.equal(t.isolated.toList(), '2');
});

test('bad specs name the token', () => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['package:2 banana:3', /"banana:3" is not a level or option/],
    ['core:0', /"core:0" needs a count of at least 1/],
    ['core:4 package:2', /"package:2" comes after an inner level/],
    ['core', /needs the form name:value/],
    ['package:64 core:64 pu:4', /more than 8192/],
    ['core:2 allowed:0-x', /"allowed:0-x" has a bad CPU list/],
    ['core:2 core:3', /repeats a level/],
    ['constructor:1', /is not a level/],
  ];
  for (const [spec, re] of cases) {
    assert.throws(() => syntheticTopology(spec), (e: unknown) => e instanceof SyntheticSpecError && e.code === 'ERR_SYNTHETIC_SPEC' && re.test(e.message), spec);
  }
});

function sameMachine(a: Topology, b: Topology): void {
  const strip = (t: Topology): unknown => {
    const j = topologyToJson(t) as unknown as Record<string, unknown>;
    delete j['source'];
    return j;
  };
  assert.deepEqual(strip(a), strip(b));
}

test('writeSysfs writes a tree that readTopology reads back as the same machine', () => {
  for (const spec of ['package:2 die:2 numa:1 l3:2 l2:2 core:2 pu:2 numbering:split allowed:0-40 online:1-63 isolated:5', 'core:3', 'package:1 numa:2 core:2']) {
    const dir = mkdtempSync(join(tmpdir(), 'corepin-synth-'));
    try {
      const t = syntheticTopology(spec);
      writeSysfs(t, dir);
      sameMachine(readTopology(dir), t);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
