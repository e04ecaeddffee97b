import { Command, Option } from 'commander';
import { POLICY_NAMES } from '../../placement/plan.js';
import type { Plan, PolicyName } from '../../placement/plan.js';
import type { PolicyRequest } from '../../placement/PlacementRequest.js';
import { resolvePlacement } from '../../placement/resolve.js';
import type { Pu } from '../../topology/Topology.js';
import { renderPlanTable } from '../render/renderTable.js';
import { renderTopologySvg } from '../render/TopologySvg.js';
import { renderTopologyText } from '../render/TopologyText.js';
import { UsageError } from '../errors.js';
import { capacityOf, terminalStyle, topologyFrom, writeSvg } from './topo.js';
import type { TopologySourceOptions } from './topo.js';
import { addPlanSettingFlags, planSettingsOf, planSlotSettings, renderSlotSettings, type PlanSettingFlags } from '../planSettings.js';

interface PlanOptions extends TopologySourceOptions, PlanSettingFlags {
  workers?: string;
  isolated?: boolean;
  policy: PolicyName;
  reserve?: string;
  smt: boolean;
  list?: string;
  json?: boolean;
  svg?: string;
}

/** The most slots `plan -n` draws: one per possible CPU number (MAX_CPU + 1). */
const MAX_PLAN_WORKERS = 65_536;

/** `corepin plan`: where N workers would go under a policy, as a picture and a table of reasons. */
export function command(): Command {
  return addPlanSettingFlags(new Command('plan'))
    .description('show where N pool workers would be pinned under a placement policy, and why')
    .option('-n, --workers <n>', 'number of worker slots (default: what `corepin topo` calls default workers)')
    .option('--isolated', 'place on isolated CPUs only (isolcpus, nohz_full), one CPU per worker')
    .addOption(new Option('--policy <name>', 'placement policy').choices([...POLICY_NAMES]).default('spread'))
    .option('--reserve <list>', 'CPUs to keep free, e.g. 0 or core:0 (CPU list or location)')
    .option('--no-smt', 'one thread per core: never hand out two SMT siblings')
    .option('--list <sets>', 'for --policy list: one CPU set per slot, separated by ";" (e.g. "0-1;core:2;numa:1")')
    .option('--fsroot <dir>', 'read sysfs and /proc under DIR instead of /')
    .option('--synthetic <spec>', 'a made-up machine, e.g. "package:2 numa:2 l3:2 core:4 pu:2"')
    .option('--json', 'machine-readable output')
    .option('--svg <file>', 'also write the picture as an SVG file')
    .addHelpText(
      'after',
      '\nExamples:\n  corepin plan -n 8 --policy spread\n  corepin plan -n 4 --policy cores --reserve 0\n' +
        '  corepin plan -n 3 --policy list --list "0-1;core:2;numa:1"\n' +
        '  corepin plan -n 6 --policy numa --synthetic "package:2 numa:2 l3:2 core:8 pu:2" --json\n\n' +
        'More workers than places wrap around: slot i gets place i mod places.',
    )
    .action((opts: PlanOptions) => {
      // Bounded so a typo like -n 99999999999 is a usage error, not an out-of-memory crash.
      if (opts.workers !== undefined && (!/^\d+$/.test(opts.workers) || Number(opts.workers) < 1 || Number(opts.workers) > MAX_PLAN_WORKERS)) {
        throw new UsageError(`invalid worker count ${JSON.stringify(opts.workers)} for -n; give a whole number from 1 to ${MAX_PLAN_WORKERS}`);
      }
      if (opts.list !== undefined && opts.policy !== 'list') throw new UsageError('--list goes with --policy list');
      const topology = topologyFrom(opts);
      const request: PolicyRequest = {
        policy: opts.policy,
        ...(opts.reserve !== undefined ? { reserve: opts.reserve } : {}),
        smt: opts.smt,
        ...(opts.isolated ? { isolated: true } : {}),
        ...(opts.list !== undefined ? { list: opts.list.split(';').map((s) => s.trim()) } : {}),
      };
      const workers = opts.workers !== undefined ? Number(opts.workers) : capacityOf(topology, opts).workers;
      // Through the resolver, as a pool would; a policy always has its plan table.
      const planned = resolvePlacement(request, topology, workers).plan!;
      const asked = planSettingsOf(opts);
      const extra = asked === null ? null : planSlotSettings(planned, topology, asked, opts.mems);
      const label = slotLabel(planned);
      if (opts.svg !== undefined) writeSvg(opts.svg, renderTopologySvg(topology, { label, title: `${planned.policy} · ${planned.workers} workers · ${topology.source}` }));
      if (opts.json) {
        const json = planJson(planned, topology.source) as { slots: object[] };
        if (asked !== null && extra !== null) {
          // Each slot gains what it would get besides its CPUs; the run-wide settings sit beside `slots`.
          json.slots = json.slots.map((x, i) => ({ ...x, pinned: extra[i]!.cpus.toList(), memory: extra[i]!.memory }));
          Object.assign(json, { nice: asked.settings.nice, sched: asked.settings.sched, binding: asked.binding });
        }
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const style = terminalStyle();
      process.stdout.write(
        renderTopologyText(topology, {
          ...style,
          label,
          legend: ['labels: CPU=slot (CPU 4=2: slot 2 runs on CPU 4; 4=2,5 two slots), r reserved, - unusable'],
        }),
      );
      process.stdout.write(`\n${renderPlanTable(planned)}`);
      if (asked !== null && extra !== null) process.stdout.write(renderSlotSettings(extra, asked));
    });
}

/** `4=2` for a CPU given to slot 2, `4r` reserved, `4-` unusable, `4` free. */
function slotLabel(p: Plan): (pu: Pu) => string {
  const slotsOf = new Map<number, number[]>();
  for (const s of p.slots) {
    for (const c of s.cpus) {
      const list = slotsOf.get(c);
      if (list) list.push(s.slot);
      else slotsOf.set(c, [s.slot]);
    }
  }
  return (pu) => {
    const slots = slotsOf.get(pu.cpu);
    if (slots) return `${pu.cpu}=${slots.length <= 2 ? slots.join(',') : `${slots[0]},${slots[1]},…`}`;
    if (p.reserved.has(pu.cpu)) return `${pu.cpu}r`;
    return pu.usable ? String(pu.cpu) : `${pu.cpu}-`;
  };
}

function planJson(p: Plan, source: string): object {
  return {
    schema: 'corepin-plan/1',
    source,
    policy: p.policy,
    workers: p.workers,
    places: p.places,
    usable: p.usable.toList(),
    reserved: p.reserved.toList(),
    slots: p.slots.map((s) => ({ slot: s.slot, cpus: s.cpus.toList(), object: s.object, where: s.where, reason: s.reason, wrapped: s.wrapped })),
  };
}
