import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopologyJson } from '../../src/topology/topologyJson.js';
import { corepin } from './cliRunner.js';
import { fixtureRoot } from './fixtureRoot.js';

/** Groups CPUs by a column's value: the partition, independent of how ids are numbered. */
function partition(rows: [number, string][]): string[] {
  const groups = new Map<string, number[]>();
  for (const [cpu, key] of rows) groups.set(key, [...(groups.get(key) ?? []), cpu]);
  return [...groups.values()].map((g) => g.sort((a, b) => a - b).join(',')).sort();
}

test('corepin topo --json on this machine agrees with lscpu -p=CPU,CORE,SOCKET,NODE', (t) => {
  const ls = spawnSync('lscpu', ['-p=CPU,CORE,SOCKET,NODE'], { encoding: 'utf8' });
  if (ls.error || ls.status !== 0) {
    t.skip(`lscpu is not available here (${ls.error?.message ?? `exit ${ls.status}`})`);
    return;
  }
  const rows = ls.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(','));
  const r = corepin(['topo', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as TopologyJson;
  // lscpu -p lists online CPUs.
  const online = json.pus.filter((p) => p.online);
  assert.deepEqual(online.map((p) => p.cpu), rows.map((x) => Number(x[0])));
  assert.deepEqual(
    partition(online.map((p) => [p.cpu, String(p.core)])),
    partition(rows.map((x) => [Number(x[0]), x[1]!])),
    'cores differ from lscpu',
  );
  assert.deepEqual(
    partition(online.map((p) => [p.cpu, String(p.package)])),
    partition(rows.map((x) => [Number(x[0]), x[2]!])),
    'sockets differ from lscpu',
  );
  // NODE is the kernel's node id (empty without NUMA), as is corepin's numa.
  assert.deepEqual(
    online.map((p) => (p.numa === null ? '' : String(p.numa))),
    rows.map((x) => x[3] ?? ''),
  );
});

test('topo --json has the documented schema: top-level pus with every field', () => {
  const r = corepin(['topo', '--json', '--fsroot', fixtureRoot('offline-holes')]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as TopologyJson;
  assert.equal(j.schema, 'corepin-topology/1');
  assert.deepEqual(Object.keys(j.pus[0]!).sort(), ['allowed', 'capacity', 'cluster', 'core', 'cpu', 'die', 'isolated', 'kind', 'l2', 'l3', 'numa', 'online', 'package', 'usable'].sort());
  assert.deepEqual(j.pus.map((p) => p.cpu), [0, 1, 2, 3, 4, 5, 8, 9, 10, 11]);
  assert.deepEqual(j.pus.find((p) => p.cpu === 4), {
    cpu: 4, package: null, die: null, core: null, numa: null, l3: null, l2: null, cluster: null, kind: null, online: false, allowed: false, isolated: false, usable: false, capacity: null,
  });
  assert.deepEqual(j.pus.find((p) => p.cpu === 11), {
    cpu: 11, package: 0, die: null, core: 7, numa: 0, l3: 0, l2: null, cluster: null, kind: null, online: true, allowed: true, isolated: true, usable: true, capacity: null,
  });
  assert.deepEqual(j.cpus, { all: '0-5,8-11', online: '0-3,8-11', allowed: '0-3,8-11', isolated: '11', usable: '0-3,8-11' });
  assert.deepEqual(j.numaNodes, [
    { id: 0, cpus: '0-3,8-11', local: '0-3,8-11', allowed: true, memory: null, kind: null, distances: { '0': 10, '1': 20 } },
    // A node without CPUs and without memory info: nothing local to it, still allowed by the cpuset.
    { id: 1, cpus: '', local: '', allowed: true, memory: null, kind: null, distances: { '0': 20, '1': 10 } },
  ]);
  assert.equal(j.tree.type, 'machine');
  assert.deepEqual(j.tree.children!.map((c) => `${c.type}:${c.cpus}`), ['package:0-3,8-11', 'pu:4', 'pu:5']);
});

test('topo picture marks offline, disallowed and isolated PUs, and kinds', () => {
  const holes = corepin(['topo', '--fsroot', fixtureRoot('offline-holes')]);
  assert.equal(holes.status, 0, holes.stderr);
  assert.match(holes.stdout, /\[11i\]/);
  assert.match(holes.stdout, /no topology \(offline\) {2}4x 5x/);
  assert.match(holes.stdout, /marks: x offline, i isolated/);
  const cg = corepin(['topo', '--fsroot', fixtureRoot('restricted-cpuset')]);
  assert.match(cg.stdout, /\[0- 1-\] \[2- 3\] \[4 5\] \[6- 7-\]/);
  const hy = corepin(['topo', '--fsroot', fixtureRoot('intel-hybrid')]);
  assert.match(hy.stdout, /P\[0 1\]/);
  assert.match(hy.stdout, /\{E\[16\] E\[17\] E\[18\] E\[19\]\}/);
});

test('topo stays readable at 256 CPUs: 80 columns, every CPU shown once, a few dozen lines', () => {
  const r = corepin(['topo', '--fsroot', fixtureRoot('numa256')]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length <= 60, `${lines.length} lines`);
  for (const l of lines.slice(1)) assert.ok(l.length <= 80, `too wide: ${l}`);
  const cpus = [...r.stdout.matchAll(/\[(\d+) (\d+)\]/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(cpus.sort((a, b) => a - b), Array.from({ length: 256 }, (_, i) => i));
  assert.equal(lines.filter((l) => /^ {2}NUMA \d/.test(l)).length, 8);
});

test('topo --svg writes one box per PU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corepin-svg-'));
  try {
    const file = join(dir, 'm.svg');
    const r = corepin(['topo', '--synthetic', 'package:2 numa:4 l3:2 core:8 pu:2', '--svg', file]);
    assert.equal(r.status, 0, r.stderr);
    const svg = readFileSync(file, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<title>CPU \d+<\/title>/g) ?? []).length, 256);
    assert.match(svg, /NUMA 7/);
    const bad = corepin(['topo', '--synthetic', 'core:2', '--svg', join(dir, 'no/such/dir/m.svg')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^corepin: cannot write SVG to .*no\/such\/dir\/m.svg: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('topo errors are one line with the right exit code', () => {
  const spec = corepin(['topo', '--synthetic', 'package:2 bogus:1']);
  assert.equal(spec.status, 1);
  assert.equal(spec.stderr.trim().split('\n').length, 1);
  assert.match(spec.stderr, /^corepin: bad synthetic topology "package:2 bogus:1": "bogus:1" is not a level or option/);
  const root = corepin(['topo', '--fsroot', '/nonexistent-corepin']);
  assert.equal(root.status, 1);
  assert.match(root.stderr, /^corepin: no CPU topology under \/nonexistent-corepin\/sys\/devices\/system\/cpu/);
  const both = corepin(['topo', '--fsroot', '/', '--synthetic', 'core:2']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--fsroot and --synthetic cannot be used together/);
});
