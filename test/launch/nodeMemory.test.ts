import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNodeMemory } from '../../src/topology/readNodeMemory.js';
import { corepin } from '../support/cli.js';
import { fixtureRoot } from '../topology/fixtureRoot.js';

const meminfo = (node: number, totalKb: number, freeKb: number): string =>
  `Node ${node} MemTotal:       ${totalKb} kB\nNode ${node} MemFree:        ${freeKb} kB\nNode ${node} MemUsed:        ${totalKb - freeKb} kB\n`;

test('topo shows MemTotal/MemFree per NUMA node from node*/meminfo (fixture: 2 nodes), text and --json', (t) => {
  const root = mkdtempSync(join(tmpdir(), `corepin-nodemem-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(fixtureRoot('intel-2s-smt'), root, { recursive: true });
  const nodes = join(root, 'sys/devices/system/node');
  writeFileSync(join(nodes, 'node0/meminfo'), meminfo(0, 16 * 1024 * 1024, 4 * 1024 * 1024));
  writeFileSync(join(nodes, 'node1/meminfo'), meminfo(1, 8 * 1024 * 1024, 1024 * 1024 + 512 * 1024));
  const text = corepin(['topo', '--fsroot', root]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /Memory per NUMA node:\n {2}node 0: 16\.0 GiB total, 4\.0 GiB free\n {2}node 1: 8\.0 GiB total, 1\.5 GiB free\n/);
  const json = JSON.parse(corepin(['topo', '--fsroot', root, '--json']).stdout) as { nodeMemory: unknown };
  assert.deepEqual(json.nodeMemory, [
    { node: 0, total: 16 * 2 ** 30, free: 4 * 2 ** 30 },
    { node: 1, total: 8 * 2 ** 30, free: 1.5 * 2 ** 30 },
  ]);
  // A node without meminfo is left out, not invented.
  rmSync(join(nodes, 'node1/meminfo'));
  assert.deepEqual(readNodeMemory(root).map((n) => n.node), [0]);
});

test('this machine: node memory equals the kernel meminfo files', (t) => {
  const nodes = readNodeMemory('/');
  if (nodes.length === 0) return t.skip('this kernel shows no NUMA node directories');
  for (const n of nodes) {
    const text = readFileSync(`/sys/devices/system/node/node${n.node}/meminfo`, 'utf8');
    const total = Number(/MemTotal:\s*(\d+)/.exec(text)![1]) * 1024;
    assert.equal(n.total, total);
    assert.ok(n.free > 0 && n.free <= n.total);
  }
});
