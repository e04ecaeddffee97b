import { join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import { readText } from './procfs.js';

/** Where a process's cgroup cpuset was found, and what it allows. */
export interface CgroupCpuset {
  /** `v1` (cpuset controller hierarchy) or `v2` (unified). */
  readonly version: 'v1' | 'v2';
  /** Directory of the cgroup (under `root`). */
  readonly dir: string;
  /** The CPUs the cgroup lets its processes use (`cpuset.effective_cpus` / `cpuset.cpus.effective`). */
  readonly cpus: CpuSet;
}

/**
 * Finds the cgroup cpuset of a process the way Kubernetes and Slurm set it: through
 * `/proc/<pid>/cgroup` and `/proc/<pid>/mountinfo`, cgroup v1 `cpuset.effective_cpus` first, then
 * v2 `cpuset.cpus.effective` (walking up to the first ancestor that has the file).
 * `root` prefixes every path, so a fixture tree can stand in for `/`.
 * Returns null when no cpuset is visible (no cgroup, not Linux, unreadable files).
 */
export function readCgroupCpuset(root = '/', pid: number | 'self' = 'self'): CgroupCpuset | null {
  const proc = join(root, 'proc', String(pid));
  const cgroupText = readText(join(proc, 'cgroup'));
  const mountText = readText(join(proc, 'mountinfo'));
  if (cgroupText === null || mountText === null) return null;
  const mounts = parseMountinfo(mountText);
  const lines = cgroupText.split('\n').filter(Boolean).map(parseCgroupLine).filter((l) => l !== null);

  const v1 = lines.find((l) => l.controllers.includes('cpuset'));
  const v1Mount = mounts.find((m) => m.fstype === 'cgroup' && m.superOptions.split(',').includes('cpuset'));
  if (v1 && v1Mount) {
    const found = walkUp(root, v1Mount, v1.path, ['cpuset.effective_cpus', 'cpuset.cpus']);
    if (found) return { version: 'v1', ...found };
  }
  const v2 = lines.find((l) => l.hierarchy === '0' && l.controllers.length === 0);
  const v2Mount = mounts.find((m) => m.fstype === 'cgroup2');
  if (v2 && v2Mount) {
    const found = walkUp(root, v2Mount, v2.path, ['cpuset.cpus.effective']);
    if (found) return { version: 'v2', ...found };
  }
  return null;
}

interface Mount {
  readonly mountRoot: string;
  readonly mountPoint: string;
  readonly fstype: string;
  readonly superOptions: string;
}

function parseMountinfo(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    if (left.length < 5 || right.length < 3) continue;
    out.push({ mountRoot: unescape(left[3]!), mountPoint: unescape(left[4]!), fstype: right[0]!, superOptions: right[2]! });
  }
  return out;
}

function parseCgroupLine(line: string): { hierarchy: string; controllers: string[]; path: string } | null {
  const a = line.indexOf(':');
  const b = line.indexOf(':', a + 1);
  if (a < 0 || b < 0) return null;
  const controllers = line.slice(a + 1, b);
  return { hierarchy: line.slice(0, a), controllers: controllers ? controllers.split(',') : [], path: line.slice(b + 1) };
}

function walkUp(root: string, mount: Mount, cgroupPath: string, files: string[]): { dir: string; cpus: CpuSet } | null {
  // The cgroup path is relative to the hierarchy's root; the mount may show only a subtree.
  let rel = cgroupPath;
  if (mount.mountRoot !== '/' && rel.startsWith(mount.mountRoot)) rel = rel.slice(mount.mountRoot.length) || '/';
  for (;;) {
    const dir = join(root, mount.mountPoint, rel);
    for (const f of files) {
      const text = readText(join(dir, f));
      if (text !== null && text.trim() !== '') {
        try {
          return { dir, cpus: CpuSet.parse(text.trim(), 'list') };
        } catch {
          return null;
        }
      }
    }
    if (rel === '/' || rel === '') return null;
    rel = rel.slice(0, rel.lastIndexOf('/')) || '/';
  }
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
