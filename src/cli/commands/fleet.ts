import { Command } from 'commander';
import { defaultRedisUrl } from '../../queue/redisConnection.js';
import type { FleetStatus } from '../../queue/fleetStatus.js';
import type { HostStatus } from '../../queue/HostStatus.js';
import { CpuSet } from '../../cpuset/CpuSet.js';
import { renderTable } from '../render/renderTable.js';

interface FleetOptions {
  queue: string;
  redis?: string;
  json?: boolean;
}

/** `corepin fleet --queue NAME`: the live hosts of a queue and its job counts. */
export function command(): Command {
  return new Command('fleet')
    .description('show the live hosts of a queue (capacity, placement, slots, jobs done, jobs/s) and its job counts')
    .requiredOption('--queue <name>', 'the BullMQ queue')
    .option('--redis <url>', 'Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
A host is listed while its heartbeat key (corepin:fleet:QUEUE:HOST in Redis) lives: it is written
every third of its TTL (corepin worker --heartbeat-ttl, default 10 s), so a dead host disappears
within its TTL; one stopped with SIGTERM disappears at once.`,
    )
    .action(async (opts: FleetOptions) => {
      const { fleetStatus } = await import('../../queue/fleetStatus.js');
      const status = await fleetStatus(opts.queue, { connection: opts.redis ?? defaultRedisUrl() });
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : renderFleet(status));
    });
}

/** The CPUs a host's slots run on (their union), or its usable CPUs when it does not pin. */
function hostCpus(h: HostStatus): string {
  const sets = h.slots.map((slot) => slot.cpus);
  if (sets.length === 0 || sets.some((c) => c === null)) return h.usable;
  return CpuSet.parse(sets.join(',')).toList();
}

/** The text form of `corepin fleet`. */
export function renderFleet(s: FleetStatus): string {
  const c = s.counts;
  const lines = [`queue ${s.queue}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed, ${c.failed} failed, ${c.completed} completed`];
  if (s.hosts.length === 0) return `${lines[0]}\nno live hosts\n`;
  const capacity = s.hosts.reduce((n, h) => n + h.capacity, 0);
  const rate = s.hosts.reduce((n, h) => n + h.jobsPerSecond, 0);
  lines.push(`${s.hosts.length} live host${s.hosts.length === 1 ? '' : 's'}, ${capacity} slot${capacity === 1 ? '' : 's'}, ${rate.toFixed(1)} jobs/s`, '');
  const rows = s.hosts.map((h) => [h.host, h.module + (h.fn !== null ? `:${h.fn}` : ''), `${h.capacity} ${h.kind}`, h.placement, hostCpus(h), String(h.done), String(h.failed), h.jobsPerSecond.toFixed(1), `${Math.max(0, Math.round((Date.now() - h.updatedAt) / 1000))}s ago`]);
  lines.push(renderTable([['HOST', 'MODULE', 'SLOTS', 'PLACEMENT', 'CPUS', 'DONE', 'FAILED', 'JOBS/S', 'SEEN'], ...rows], [5, 6, 7]));
  for (const h of s.hosts) {
    lines.push('', `${h.host} slots:`);
    for (const slot of h.slots) lines.push(`  slot ${slot.slot}  cpus ${slot.cpus ?? 'unpinned'}  pid ${slot.pid ?? '-'}  ${slot.verified ? 'verified' : 'not verified'}`);
  }
  return `${lines.join('\n')}\n`;
}
