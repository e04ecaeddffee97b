import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { writeSysfs } from '../../src/topology/writeSysfs.js';
import { CLI } from './cliRunner.js';

/** A 16-CPU fixture root in a Kubernetes-like cgroup v2 pod with a 2-CPU limit. */
function podRoot(): string {
  const root = mkdtempSync(join(tmpdir(), `corepin-capcli-${process.pid}-`));
  writeSysfs(syntheticTopology('core:8 pu:2'), root);
  const files: Record<string, string> = {
    'proc/self/cgroup': '0::/kubepods/burstable/pod7f3c/cri-abc\n',
    'proc/self/mountinfo': '30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n',
    'sys/fs/cgroup/kubepods/burstable/pod7f3c/cpu.max': '200000 100000\n',
    'sys/fs/cgroup/kubepods/burstable/pod7f3c/cri-abc/cpu.max': 'max 100000\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  if (!('COREPIN_WORKERS' in env)) delete e['COREPIN_WORKERS'];
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: e });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('corepin topo prints the default worker count and why; --json carries it', () => {
  const root = podRoot();
  try {
    const r = run(['topo', '--fsroot', root]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^default workers 2: 16 usable CPUs, quota 2\.0 CPUs \(cpu\.max of \/kubepods\/burstable\/pod7f3c\)$/m);
    const j = JSON.parse(run(['topo', '--fsroot', root, '--json']).stdout) as { capacity: { workers: number; quota: { cpus: number; cgroup: string }; decidedBy: string } };
    assert.equal(j.capacity.workers, 2);
    assert.equal(j.capacity.quota.cpus, 2);
    assert.equal(j.capacity.decidedBy, 'quota');
    // COREPIN_WORKERS overrides; a bad value is one line and exit 1, no stack trace.
    assert.match(run(['topo', '--fsroot', root], { COREPIN_WORKERS: '3' }).stdout, /^default workers 3: COREPIN_WORKERS=3; 16 usable CPUs, quota 2\.0 CPUs/m);
    const bad = run(['topo', '--fsroot', root], { COREPIN_WORKERS: 'lots' });
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /COREPIN_WORKERS="lots" is not a worker count/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('corepin plan without -n places the default worker count', () => {
  const root = podRoot();
  try {
    const r = run(['plan', '--fsroot', root, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { slots: unknown[] }).slots.length, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('corepin topo on hwloc-style memory-only nodes and kinds with capacities', () => {
  const root = mkdtempSync(join(tmpdir(), `corepin-memnode-${process.pid}-`));
  try {
    writeSysfs(syntheticTopology('core:4 pu:1'), root);
    const put = (p: string, t: string): void => {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), t);
    };
    put('sys/devices/system/node/node0/cpumap', 'f\n');
    put('sys/devices/system/node/node1/cpumap', '0\n');
    put('sys/devices/system/node/node1/meminfo', 'Node 1 MemTotal:       1048576 kB\n');
    put('sys/devices/system/node/node1/access0/initiators/node0', '');
    for (const [cpu, cap] of [[0, 1024], [1, 1024], [2, 512], [3, 512]]) put(`sys/devices/system/cpu/cpu${cpu}/cpu_capacity`, `${cap}\n`);
    const r = run(['topo', '--fsroot', root]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^memory-only NUMA 1: 1 GiB, local to CPUs 0-3$/m);
    assert.match(r.stdout, /^kinds: P\[…\] performance \(capacity 1024\), E\[…\] efficiency \(capacity 512\)$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
