import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { capacity } from '../../topology/capacity.js';
import type { Capacity } from '../../topology/capacity.js';
import { readTopology } from '../../topology/readTopology.js';
import { syntheticTopology } from '../../topology/syntheticTopology.js';
import type { Topology } from '../../topology/Topology.js';
import { topologyToJson } from '../../topology/topologyJson.js';
import { renderTopologySvg } from '../render/TopologySvg.js';
import { renderTopologyText } from '../render/TopologyText.js';
import { UsageError } from '../errors.js';
import { readNodeMemory, renderNodeMemory } from '../../topology/readNodeMemory.js';

/** The machine-choosing options `topo` and `plan` share. */
export interface TopologySourceOptions {
  fsroot?: string;
  synthetic?: string;
}

/** Reads the topology named by `--fsroot DIR` or `--synthetic SPEC` (default: this machine). */
export function topologyFrom(opts: TopologySourceOptions): Topology {
  if (opts.fsroot !== undefined && opts.synthetic !== undefined) {
    throw new UsageError('--fsroot and --synthetic cannot be used together; choose one machine');
  }
  return opts.synthetic !== undefined ? syntheticTopology(opts.synthetic) : readTopology(opts.fsroot ?? '/');
}

/**
 * The capacity of the machine named by `--fsroot` / `--synthetic`: the cgroup quota is read under
 * `--fsroot` (or `/`); a synthetic machine has none.
 */
export function capacityOf(topology: Topology, opts: TopologySourceOptions & { isolated?: boolean }): Capacity {
  return capacity({
    topology,
    ...(opts.fsroot !== undefined ? { root: opts.fsroot } : {}),
    ...(opts.synthetic !== undefined ? { quota: null } : {}),
    ...(opts.isolated ? { isolated: true } : {}),
  });
}

/** The `capacity` member of `corepin topo --json` (docs/topology-json.md). */
export function capacityJson(c: Capacity): Record<string, unknown> {
  return {
    usable: c.usable.toList(),
    isolated: c.isolated.toList(),
    places: c.places,
    quota: c.quota === null ? null : { cpus: c.quota.cpus, quotaUs: c.quota.quotaUs, periodUs: c.quota.periodUs, file: c.quota.file, cgroup: c.quota.cgroup },
    workers: c.workers,
    decidedBy: c.decidedBy,
    reason: c.reason,
  };
}

/** Width and colour for terminal pictures: the terminal's, or 80 columns and no colour when piped. */
export function terminalStyle(): { width: number; color: boolean } {
  const tty = process.stdout.isTTY === true;
  return { width: tty ? process.stdout.columns || 80 : 80, color: tty && process.env['NO_COLOR'] === undefined };
}

/** Writes an SVG file, turning a filesystem failure into a one-line usage error. */
export function writeSvg(file: string, svg: string): void {
  try {
    writeFileSync(file, svg);
  } catch (err) {
    throw new UsageError(`cannot write SVG to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; check the path`);
  }
}

/** `corepin topo`: the machine as a picture, JSON or SVG. */
export function command(): Command {
  return new Command('topo')
    .description('show the machine: packages, dies, NUMA nodes (memory-only too), L3/L2 groups, clusters, cores and their PUs, offline/disallowed/isolated PUs, core kinds and the default worker count')
    .option('--fsroot <dir>', 'read sysfs and /proc under DIR instead of / (like HWLOC_FSROOT)')
    .option('--synthetic <spec>', 'a made-up machine, e.g. "package:2 numa:2 l3:2 core:4 pu:2"')
    .option('--json', 'print the documented JSON schema (docs/topology-json.md)')
    .option('--svg <file>', 'also write the picture as an SVG file')
    .option('--isolated', 'count isolated CPUs (isolcpus, nohz_full) as the places for default workers, one worker each')
    .addHelpText(
      'after',
      '\nExamples:\n  corepin topo\n  corepin topo --json | jq \'.pus[] | select(.allowed)\'\n' +
        '  corepin topo --synthetic "package:2 numa:2 l3:2 core:8 pu:2" --svg machine.svg\n  corepin topo --fsroot /tmp/sysfs-copy',
    )
    .action((opts: TopologySourceOptions & { json?: boolean; svg?: string; isolated?: boolean }) => {
      const topology = topologyFrom(opts);
      const cap = capacityOf(topology, opts);
      if (opts.svg !== undefined) writeSvg(opts.svg, renderTopologySvg(topology));
      // A made-up machine has no memory to show.
      const memory = opts.synthetic !== undefined ? [] : readNodeMemory(opts.fsroot ?? '/');
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...topologyToJson(topology), nodeMemory: memory, capacity: capacityJson(cap) }, null, 2)}\n`);
        return;
      }
      process.stdout.write(renderTopologyText(topology, terminalStyle()) + renderNodeMemory(memory));
      process.stdout.write(`${cap.reason}\n`);
    });
}
