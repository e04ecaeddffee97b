import type { ObjectType } from '../topology/Topology.js';
import type { Place } from './Place.js';
import type { PlanView } from './PlanView.js';

const FALLBACK: Record<'l3' | 'numa' | 'package', readonly ('l3' | 'numa' | 'package')[]> = {
  l3: ['l3', 'numa', 'package'],
  numa: ['numa', 'package'],
  package: ['package'],
};

const LABEL: Record<'l3' | 'numa' | 'package', string> = { l3: 'L3 domain', numa: 'NUMA node', package: 'package' };

/**
 * One whole domain per slot (`l3`, `numa` or `package`), domains in tree order. When the machine
 * does not report that level (a VM without cache info), the next larger level it reports is used,
 * else the whole machine, and each slot's reason says so.
 */
export function domains(level: 'l3' | 'numa' | 'package'): (view: PlanView) => Place[] {
  return (view) => {
    const { topology } = view;
    for (const type of FALLBACK[level]) {
      if (!topology.has(type)) continue;
      const note = type === level ? '' : ` (no ${LABEL[level]} information: using ${LABEL[type]}s)`;
      const places: Place[] = [];
      for (const obj of topology.objects(type)) {
        const cpus = obj.cpus.intersect(view.usable);
        if (cpus.isEmpty) continue;
        const name = type === 'numa' ? `NUMA node ${obj.osIndex ?? obj.index}` : `${LABEL[type]} ${obj.index}`;
        places.push({ cpus, object: { type: type as ObjectType, index: obj.index }, reason: `${level}: whole ${name}, ${cpus.size} usable CPU${cpus.size === 1 ? '' : 's'}${note}` });
      }
      return places;
    }
    return [
      {
        cpus: view.usable,
        object: { type: 'machine', index: 0 },
        reason: `${level}: no ${LABEL[level]} information: the whole machine`,
      },
    ];
  };
}
