import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readTopology } from '../../src/topology/readTopology.js';

/** A sysfs tree from path → text; CPU files under sys/devices/system/cpu. */
function withTree(files: Record<string, string>, fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), `corepin-forms-${process.pid}-`));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const cpu = (n: number, file: string): string => `sys/devices/system/cpu/cpu${n}/topology/${file}`;

test('mask files, NUL-terminated files and truncated lists: each CPU set falls back to the next form', () => {
  withTree(
    {
      'sys/devices/system/cpu/online': '0-3\n',
      // Old kernel: only masks; CPU 0's mask ends in NUL bytes as some copies do.
      [cpu(0, 'thread_siblings')]: '00000003\n\0\0\0',
      [cpu(1, 'thread_siblings')]: '00000003\n',
      // Truncated list (ends in '-') next to a good mask: the mask wins anyway, as hwloc reads it.
      [cpu(2, 'core_cpus_list')]: '2-',
      [cpu(2, 'core_cpus')]: '0000000c\n',
      // Truncated mask and a good list: the list is the fallback.
      [cpu(3, 'core_cpus')]: '0000000,',
      [cpu(3, 'core_cpus_list')]: '2-3\n',
      // physical_package_id -1 (POWER, ARM): packages from the package sets.
      ...Object.fromEntries([0, 1, 2, 3].flatMap((n) => [[cpu(n, 'physical_package_id'), '-1\n'], [cpu(n, 'core_siblings'), n < 2 ? '3\n' : 'c\n']])),
    },
    (root) => {
      const t = readTopology(root);
      assert.deepEqual(t.objects('core').map((c) => c.cpus.toList()), ['0-1', '2-3']);
      assert.deepEqual(t.objects('package').map((c) => c.cpus.toList()), ['0-1', '2-3']);
      assert.deepEqual(t.warnings, []);
    },
  );
});

test('offline CPU 0, a memory-only node local to its nearest node, and a node whose cpulist is empty but cpumap is not', () => {
  withTree(
    {
      'sys/devices/system/cpu/online': '1-3\n',
      'sys/devices/system/cpu/present': '0-3\n',
      'sys/devices/system/cpu/cpu0/online': '0\n',
      ...Object.fromEntries([1, 2, 3].map((n) => [cpu(n, 'core_cpus_list'), `${n}\n`])),
      ...Object.fromEntries([1, 2, 3].map((n) => [cpu(n, 'package_cpus_list'), '1-3\n'])),
      'sys/devices/system/node/node0/cpulist': '\n',
      'sys/devices/system/node/node0/cpumap': '2\n',
      'sys/devices/system/node/node1/cpumap': '0\n',
      'sys/devices/system/node/node2/cpulist': '2-3\n',
      'sys/devices/system/node/node0/distance': '10 15 20\n',
      'sys/devices/system/node/node1/distance': '15 10 30\n',
      'sys/devices/system/node/node2/distance': '20 30 10\n',
    },
    (root) => {
      const t = readTopology(root);
      assert.equal(t.online.toList(), '1-3');
      assert.deepEqual(t.objects('core').map((c) => c.cpus.toList()), ['1', '2', '3']);
      assert.equal(t.pu(0)!.online, false);
      // Node 1 has no CPU and no initiators: it is local to its nearest node's CPUs (hwloc's rule).
      assert.deepEqual(t.numaNodes.map((n) => [n.id, n.cpus.toList(), n.local.toList()]), [[0, '1', '1'], [1, '', '1'], [2, '2-3', '2-3']]);
      assert.equal(t.pu(1)!.numa, 0);
      assert.equal(t.pu(3)!.numa, 2);
    },
  );
});
