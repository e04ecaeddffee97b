import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTopologySvg } from '../../src/cli/render/TopologySvg.js';
import { renderTopologyText } from '../../src/cli/render/TopologyText.js';
import { CorepinError } from '../../src/errors.js';
import { POLICY_NAMES } from '../../src/placement/plan.js';
import { plan } from '../../src/placement/plan.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { Topology } from '../../src/topology/Topology.js';
import { topologyToJson } from '../../src/topology/topologyJson.js';
import { seededRandom, type SeededRandom } from '../support/seededRandom.js';

/*
 * readTopology over corrupted copies of every sysfs fixture: truncated files, garbage, deleted
 * directories, unreadable entries. It must return a Topology (which then renders, serialises and
 * plans without a crash) or throw a CorepinError — never another exception.
 *
 * "Unreadable": as root, chmod 000 does not stop a read (CAP_DAC_OVERRIDE), so besides chmod the
 * fuzzer makes entries unreadable in ways that hold for root too: a directory where a file was
 * (EISDIR), a file where a directory was (ENOTDIR), a dangling symlink (ENOENT) and a symlink
 * loop (ELOOP).
 */

const TREES = 240;
const r = seededRandom(5005);
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/sysfs/', import.meta.url));

const GARBAGE = [
  '', '\n', 'garbage', '-1', '-99999', '99999999999999999999', '0-4294967295', '0-65535', '4294967296', '1e9', 'NaN',
  '0x', 'ffffffff,ffffffff', ',,,', '3-1', '\u0000\u0001\u00ff', '0-3\n4-7', '   ', 'Instruction', 'Unified', '32K',
  '99999999999G', '-5K', '0-7:0', '1,1,1', 'Cpus_allowed_list:\t\n', '0::/\n', 'cpuset /x\n', '36 1 0:1 / / rw - cgroup c rw,cpuset\n',
];

function walk(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        dirs.push(p);
        visit(p);
      } else if (e.isFile()) files.push(p);
    }
  };
  visit(dir);
  return { files, dirs };
}

function garbage(): string | Buffer {
  if (r.chance(0.1)) return Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256)));
  if (r.chance(0.05)) return 'x'.repeat(100_000);
  return r.pick(GARBAGE);
}

/** Applies one corruption and says what it did (for the failure message). */
function corrupt(root: string, entries: { files: string[]; dirs: string[] }): string {
  try {
    return corruptOnce(root, entries);
  } catch (err) {
    // An earlier corruption may have made this one impossible (a parent is gone or is now a file).
    return `nothing (${(err as NodeJS.ErrnoException).code ?? 'failed'})`;
  }
}

function corruptOnce(root: string, { files, dirs }: { files: string[]; dirs: string[] }): string {
  const file = files.length > 0 ? r.pick(files) : null;
  const dir = dirs.length > 0 ? r.pick(dirs) : null;
  const name = (p: string): string => relative(root, p);
  switch (r.int(11)) {
    case 0:
      if (!file) break;
      truncateSync(file, 0);
      return `truncated ${name(file)} to 0`;
    case 1: {
      if (!file) break;
      const len = r.int(Math.max(1, statSync(file).size));
      truncateSync(file, len);
      return `truncated ${name(file)} to ${len}`;
    }
    case 2:
    case 3: {
      if (!file) break;
      const g = garbage();
      writeFileSync(file, g);
      return `wrote ${JSON.stringify(String(g).slice(0, 30))} to ${name(file)}`;
    }
    case 4:
      if (!dir) break;
      rmSync(dir, { recursive: true, force: true });
      return `deleted ${name(dir)}/`;
    case 5:
      if (!file) break;
      rmSync(file);
      mkdirSync(file);
      return `replaced ${name(file)} by a directory`;
    case 6:
      if (!file) break;
      rmSync(file);
      symlinkSync(join(root, 'no-such-target'), file);
      return `replaced ${name(file)} by a dangling symlink`;
    case 7:
      if (!dir) break;
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(dir, r.pick(GARBAGE));
      return `replaced ${name(dir)}/ by a file`;
    case 8:
      if (!file) break;
      rmSync(file);
      symlinkSync(file, file);
      return `replaced ${name(file)} by a symlink loop`;
    case 9: {
      // Odd names next to real ones: cpu-1, cpu00, node99999999999 …
      const parent = join(root, 'sys/devices/system', r.pick(['cpu', 'node']));
      const odd = r.pick(['cpu-1', 'cpu00', 'cpu1e3', 'cpu99999', 'cpu4294967296', 'node99999999999', 'node-1', 'index99']);
      mkdirSync(join(parent, odd, 'topology'), { recursive: true });
      writeFileSync(join(parent, odd, r.pick(['online', 'cpulist', 'topology/core_id'])), r.pick(GARBAGE));
      return `added ${name(join(parent, odd))}`;
    }
    default:
      if (!file) break;
      chmodSync(file, 0o000);
      return `chmod 000 ${name(file)}${process.getuid?.() === 0 ? ' (still readable as root)' : ''}`;
  }
  return 'nothing (no entry left)';
}

function exercise(t: Topology): void {
  JSON.stringify(topologyToJson(t));
  renderTopologyText(t);
  renderTopologySvg(t);
  for (const policy of POLICY_NAMES.filter((p) => p !== 'list')) {
    try {
      plan(t, 3, policy);
    } catch (err) {
      if (!(err instanceof CorepinError)) throw err;
    }
  }
}

test(`readTopology over ${TREES} corrupted fixture trees: a topology with unknowns or a CorepinError, never a crash`, (t) => {
  const fixtures = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  // tmpfs when there is one: copying 240 trees is then a matter of milliseconds.
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'corepin-sysfs-fuzz-'));
  const counts = { read: 0, corepinError: 0 };
  const bad: string[] = [];
  try {
    for (let i = 0; i < TREES; i++) {
      const fixture = r.pick(fixtures);
      const root = join(scratch, String(i));
      // cp(1) copies a 2,000-file fixture about 20× faster than fs.cpSync.
      const cp = spawnSync('cp', ['-R', join(FIXTURES, fixture), root]);
      if (cp.status !== 0) cpSync(join(FIXTURES, fixture), root, { recursive: true });
      const entries = walk(root); // once per tree: later corruptions may aim at entries already gone
      const done = Array.from({ length: 1 + r.int(r.chance(0.3) ? 20 : 5) }, () => corrupt(root, entries));
      try {
        const topo = readTopology(root);
        assert.ok(topo instanceof Topology);
        exercise(topo);
        counts.read++;
      } catch (err) {
        if (err instanceof CorepinError) counts.corepinError++;
        else bad.push(`${fixture} after ${done.join('; ')}: ${(err as Error)?.name}: ${(err as Error)?.message}`);
      }
      rmSync(root, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  t.diagnostic(`seed ${r.seed}: ${counts.read} read (with unknowns), ${counts.corepinError} CorepinError`);
  assert.ok(counts.read > TREES / 2, 'most corruptions still give a topology');
  assert.deepEqual(bad.slice(0, 10), [], `${bad.length} crashes (seed ${r.seed})`);
});
