import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuSet } from '../../src/cpuset/CpuSet.js';
import type { TopologyJson } from '../../src/topology/topologyJson.js';
import { CLI } from '../topology/cliRunner.js';

const V1 = '/sys/fs/cgroup/cpuset';

/** Why this test cannot run here, or null when it can (root, cgroup v1 cpuset, CPU 1 online). */
function cannotRun(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (!existsSync(join(V1, 'cgroup.procs'))) return `no cgroup v1 cpuset hierarchy at ${V1}`;
  if (process.getuid?.() !== 0) return 'needs root to create a cgroup';
  try {
    if (!CpuSet.parse(readFileSync(join(V1, 'cpuset.effective_cpus'), 'utf8').trim(), 'list').has(1)) return 'CPU 1 is not in the root cpuset';
  } catch {
    return `cannot read ${V1}/cpuset.effective_cpus`;
  }
  return null;
}

/**
 * A node child moves itself into the cgroup, then runs the CLI, which therefore starts inside the
 * cpuset (its affinity and /proc/self/cgroup say so).
 */
const CHILD = `
const { writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const [procs, cli, ...args] = process.argv.slice(1);
writeFileSync(procs, String(process.pid));
const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exit(r.status ?? 1);
`;

test('inside a real cgroup v1 cpuset of CPU 1, plan and topo use only CPU 1', (t) => {
  const why = cannotRun();
  if (why !== null) {
    t.skip(why);
    return;
  }
  const dir = join(V1, `corepin-test-${process.pid}`);
  try {
    mkdirSync(dir);
  } catch (err) {
    t.skip(`cannot create ${dir}: ${(err as NodeJS.ErrnoException).code}`);
    return;
  }
  try {
    const mems = readFileSync(join(V1, 'cpuset.effective_mems'), 'utf8').trim();
    writeFileSync(join(dir, 'cpuset.cpus'), '1');
    writeFileSync(join(dir, 'cpuset.mems'), String(CpuSet.parse(mems, 'list').first ?? 0));
    const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, ['-e', CHILD, join(dir, 'cgroup.procs'), CLI, ...args], { encoding: 'utf8' });

    const planned = run('plan', '-n', '4', '--policy', 'spread', '--json');
    assert.equal(planned.status, 0, planned.stderr);
    const p = JSON.parse(planned.stdout) as { usable: string; slots: { cpus: string }[] };
    assert.equal(p.usable, '1');
    assert.deepEqual(p.slots.map((s) => s.cpus), ['1', '1', '1', '1']);

    const cores = run('plan', '-n', '2', '--policy', 'cores', '--json');
    assert.deepEqual((JSON.parse(cores.stdout) as { slots: { cpus: string }[] }).slots.map((s) => s.cpus), ['1', '1']);

    const topo = run('topo', '--json');
    assert.equal(topo.status, 0, topo.stderr);
    const j = JSON.parse(topo.stdout) as TopologyJson;
    assert.equal(j.cpus.allowed, '1');
    assert.ok(j.pus.filter((x) => x.cpu !== 1).every((x) => !x.allowed));
    assert.equal(j.pus.find((x) => x.cpu === 1)!.allowed, true);
  } finally {
    // The children have exited, so the cgroup is empty and can go.
    rmdirSync(dir);
  }
  assert.equal(existsSync(dir), false);
});
