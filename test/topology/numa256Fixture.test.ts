import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTopology } from '../../src/topology/readTopology.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { writeSysfs } from '../../src/topology/writeSysfs.js';

/**
 * The 256-CPU fixture is made by the synthetic writer from this spec. The test checks the committed
 * tree is exactly what the writer makes; run with COREPIN_WRITE_FIXTURES=1 to (re)write it.
 */
const SPEC = 'package:2 numa:4 l3:2 core:8 pu:2 numbering:split';
const DIR = fileURLToPath(new URL('../../../test/fixtures/sysfs/numa256', import.meta.url));

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, name)).isDirectory() ? files(join(dir, name), rel) : [rel];
  });
}

test('numa256 fixture on disk is what the synthetic writer makes', () => {
  if (process.env['COREPIN_WRITE_FIXTURES'] === '1') {
    rmSync(DIR, { recursive: true, force: true });
    writeSysfs(syntheticTopology(SPEC), DIR, { minimal: true });
  }
  const tmp = mkdtempSync(join(tmpdir(), 'corepin-numa256-'));
  try {
    writeSysfs(syntheticTopology(SPEC), tmp, { minimal: true });
    const expected = files(tmp).sort();
    assert.deepEqual(files(DIR).sort(), expected);
    for (const f of expected) assert.equal(readFileSync(join(DIR, f), 'utf8'), readFileSync(join(tmp, f), 'utf8'), f);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('numa256 fixture reads as 2 packages, 8 NUMA nodes, 16 L3, 128 cores, 256 PUs', () => {
  const t = readTopology(DIR);
  assert.equal(t.pus.length, 256);
  assert.equal(t.objects('package').length, 2);
  assert.equal(t.objects('numa').length, 8);
  assert.equal(t.objects('l3').length, 16);
  assert.equal(t.objects('core').length, 128);
  assert.deepEqual(t.warnings, []);
  // Siblings are n and n+128; core_id is not written at all, siblings alone identify cores.
  assert.equal(t.pu(5)!.core, t.pu(133)!.core);
  assert.notEqual(t.pu(5)!.core, t.pu(6)!.core);
  assert.equal(t.objects('numa')[7]!.cpus.toList(), '112-127,240-255');
  assert.equal(t.pu(255)!.package, 1);
  assert.equal(t.pu(255)!.numa, 7);
  assert.equal(t.pu(255)!.l3, 15);
  // The tree nests package > NUMA > L3 > core > PU.
  const pkg = t.machine.children[1]!;
  assert.equal(pkg.type, 'package');
  assert.deepEqual(pkg.children.map((c) => c.type), ['numa', 'numa', 'numa', 'numa']);
  assert.equal(pkg.children[0]!.children[0]!.type, 'l3');
  assert.equal(pkg.children[0]!.children[0]!.children.length, 8);
  // Same machine as the spec it came from.
  const s = syntheticTopology(SPEC);
  assert.deepEqual(t.pus.map((p) => [p.cpu, p.package, p.core, p.numa, p.l3]), s.pus.map((p) => [p.cpu, p.package, p.core, p.numa, p.l3]));
});
