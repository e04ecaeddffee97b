import { join } from 'node:path';
import { readText } from './procfs.js';

/** A mounted cgroup (v1 or v2) or legacy cpuset hierarchy. */
export interface CgroupMount {
  /** The hierarchy path shown at the mount point (`/` unless a container sees only a subtree). */
  readonly mountRoot: string;
  /** Where it is mounted (absolute, not under the fixture root). */
  readonly mountPoint: string;
  /** `cgroup2`, `cgroup` or the legacy `cpuset`. */
  readonly fstype: string;
  /** Mount options; for cgroup v1 they name the controllers (`cpu,cpuacct`). */
  readonly options: readonly string[];
}

/** One line of `/proc/<pid>/cgroup`: `hierarchy-id:controllers:path`. */
export interface CgroupMembership {
  readonly hierarchy: string;
  readonly controllers: readonly string[];
  readonly path: string;
}

/**
 * Cgroup mounts seen by a process: `/proc/<pid>/mountinfo` (knows each mount's root, so a
 * container's view of a subtree resolves), else `/proc/mounts` (older kernels and hwloc's dumps),
 * under `root`.
 */
export function readCgroupMounts(root = '/', pid: number | 'self' = 'self'): CgroupMount[] {
  const out: CgroupMount[] = [];
  const info = readText(join(root, 'proc', String(pid), 'mountinfo'));
  if (info !== null) {
    for (const line of info.split('\n')) {
      const sep = line.indexOf(' - ');
      if (sep < 0) continue;
      const left = line.slice(0, sep).split(' ');
      const right = line.slice(sep + 3).split(' ');
      if (left.length < 5 || right.length < 3) continue;
      const options = [...left[5]!.split(','), ...right[2]!.split(',')];
      if (isCgroupType(right[0]!)) out.push({ mountRoot: unescape(left[3]!), mountPoint: unescape(left[4]!), fstype: right[0]!, options });
    }
    return out;
  }
  const mounts = readText(join(root, 'proc/mounts'));
  for (const line of mounts?.split('\n') ?? []) {
    const f = line.split(' ');
    if (f.length >= 4 && isCgroupType(f[2]!)) out.push({ mountRoot: '/', mountPoint: unescape(f[1]!), fstype: f[2]!, options: f[3]!.split(',') });
  }
  return out;
}

/** The lines of `/proc/<pid>/cgroup` under `root`; empty when it cannot be read. */
export function readCgroupMembership(root = '/', pid: number | 'self' = 'self'): CgroupMembership[] {
  const text = readText(join(root, 'proc', String(pid), 'cgroup'));
  const out: CgroupMembership[] = [];
  for (const line of text?.split('\n') ?? []) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const controllers = line.slice(a + 1, b);
    out.push({ hierarchy: line.slice(0, a), controllers: controllers ? controllers.split(',') : [], path: line.slice(b + 1).trim() });
  }
  return out;
}

/**
 * The directories of a cgroup and each of its ancestors visible under the mount, innermost first,
 * as `{ dir, path }` with `dir` under `root` and `path` the hierarchy path (`/kubepods/pod1`).
 */
export function cgroupAncestors(root: string, mount: CgroupMount, cgroupPath: string): { dir: string; path: string }[] {
  // The cgroup path is relative to the hierarchy's root; the mount may show only a subtree.
  let rel = cgroupPath || '/';
  if (mount.mountRoot !== '/' && (rel === mount.mountRoot || rel.startsWith(`${mount.mountRoot}/`))) rel = rel.slice(mount.mountRoot.length) || '/';
  const out: { dir: string; path: string }[] = [];
  for (;;) {
    out.push({ dir: join(root, mount.mountPoint, rel), path: rel });
    if (rel === '/') return out;
    rel = rel.slice(0, rel.lastIndexOf('/')) || '/';
  }
}

function isCgroupType(t: string): boolean {
  return t === 'cgroup' || t === 'cgroup2' || t === 'cpuset';
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
