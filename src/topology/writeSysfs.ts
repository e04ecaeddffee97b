import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CpuSet } from '../cpuset/CpuSet.js';
import type { Topology } from './Topology.js';

/**
 * What {@link writeSysfs} writes.
 *
 * @example
 * ```ts
 * import { syntheticTopology, writeSysfs, type WriteSysfsOptions } from 'corepin';
 * const options: WriteSysfsOptions = { minimal: true };
 * writeSysfs(syntheticTopology('core:4 pu:2'), '/tmp/fixture-root', options);
 * ```
 */
export interface WriteSysfsOptions {
  /**
   * Write only the files `readTopology` needs (no core_id, cache type/size/id, node distance):
   * keeps big fixtures small. Default false.
   */
  readonly minimal?: boolean;
}

/**
 * Writes a topology out as a fake sysfs tree under `dir` (`dir/sys/devices/system/...`), so that
 * `readTopology(dir)` reads the same machine back: how the big fixtures are made.
 * When some CPUs are not allowed, `dir/proc/self/status` carries `Cpus_allowed_list`.
 *
 * @example
 * ```ts
 * import { syntheticTopology, writeSysfs, readTopology } from 'corepin';
 * writeSysfs(syntheticTopology('package:2 core:4 pu:2'), '/tmp/fixture-root');
 * readTopology('/tmp/fixture-root').cpus.size; // 16
 * ```
 */
export function writeSysfs(topology: Topology, dir: string, options: WriteSysfsOptions = {}): void {
  const minimal = options.minimal ?? false;
  const put = (path: string, text: string): void => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, `${text}\n`);
  };
  const cpuDir = 'sys/devices/system/cpu';
  put(`${cpuDir}/present`, topology.cpus.toList());
  put(`${cpuDir}/online`, topology.online.toList());
  put(`${cpuDir}/isolated`, topology.isolated.toList());
  const packages = topology.objects('package');
  const dies = topology.objects('die');
  const cores = topology.objects('core');
  const caches = { l3: topology.objects('l3'), l2: topology.objects('l2') };
  for (const pu of topology.pus) {
    const base = `${cpuDir}/cpu${pu.cpu}`;
    if (pu.package !== null) put(`${base}/topology/physical_package_id`, String(packages[pu.package]?.osIndex ?? pu.package));
    if (pu.die !== null && !minimal) put(`${base}/topology/die_id`, String(dies[pu.die]?.osIndex ?? 0));
    if (pu.core !== null) {
      const core = cores[pu.core]!;
      put(`${base}/topology/core_cpus_list`, core.cpus.toList());
      if (!minimal) put(`${base}/topology/core_id`, String(core.osIndex ?? core.index));
    }
    if (pu.capacity !== null) put(`${base}/cpu_capacity`, String(pu.capacity));
    (['l2', 'l3'] as const).forEach((level, i) => {
      const idx = pu[level];
      if (idx === null) return;
      const cache = caches[level][idx]!;
      const index = `${base}/cache/index${i + 2}`;
      put(`${index}/level`, level === 'l3' ? '3' : '2');
      put(`${index}/shared_cpu_list`, cache.cpus.toList());
      if (minimal) return;
      put(`${index}/type`, 'Unified');
      if (cache.size !== null) put(`${index}/size`, `${Math.round(cache.size / 1024)}K`);
      put(`${index}/id`, String(cache.osIndex ?? cache.index));
    });
  }
  for (const node of topology.numaNodes) {
    put(`sys/devices/system/node/node${node.id}/cpulist`, node.cpus.toList());
    if (!minimal && node.distances.size > 0) {
      put(`sys/devices/system/node/node${node.id}/distance`, [...node.distances].sort((a, b) => a[0] - b[0]).map(([, d]) => d).join(' '));
    }
  }
  const hasCapacity = topology.pus.some((p) => p.capacity !== null);
  if (!hasCapacity) {
    for (const kind of topology.kinds) {
      const dirName = kind.name === 'performance' ? 'cpu_core' : kind.name === 'efficiency' ? 'cpu_atom' : null;
      if (dirName) put(`sys/devices/${dirName}/cpus`, kind.cpus.toList());
    }
  }
  if (!topology.allowed.equals(topology.online)) {
    put('proc/self/status', `Name:\tcorepin-fixture\nCpus_allowed_list:\t${topology.allowed.toList() || CpuSet.EMPTY.toList()}`);
  }
}
