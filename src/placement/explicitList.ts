import { CpuSet } from '../cpuset/CpuSet.js';
import { resolveLocation } from '../topology/resolveLocation.js';
import type { Place } from './Place.js';
import type { PlanOptions } from './plan.js';
import { PlacementError } from './errors.js';
import type { PlanView } from './PlanView.js';

/**
 * The sets in `options.list`, one per slot, in the order given. Each must be non-empty and within
 * the usable, unreserved CPUs (`smt` does not apply: the list is explicit).
 *
 * @throws {PlacementError} when the list is missing or an item names CPUs that cannot be used.
 */
export function explicitList(view: PlanView, _workers: number, options: PlanOptions): Place[] {
  const list = options.list;
  if (list === undefined || list.length === 0) {
    throw new PlacementError('policy list needs the CPU sets, one per slot: e.g. list ["0-1", "core:2", "numa:1"] (CLI: --list "0-1;core:2;numa:1")');
  }
  const allowed = view.topology.usable.difference(view.reserved);
  return list.map((item, i) => {
    const cpus = typeof item === 'string' ? resolveLocation(item, view.topology) : item;
    const shown = typeof item === 'string' ? item : cpus.toList();
    if (cpus.isEmpty) throw new PlacementError(`list item ${i} (${JSON.stringify(shown)}) is empty; give at least one CPU`);
    const bad = cpus.difference(allowed);
    if (!bad.isEmpty) {
      throw new PlacementError(
        `list item ${i} (${JSON.stringify(shown)}) has CPU ${bad.toList()} that cannot be used` +
          (bad.isSubsetOf(view.reserved) ? ' (reserved)' : '') +
          `; usable CPUs are ${allowed.toList() || '(none)'}`,
      );
    }
    return { cpus: CpuSet.from(cpus), object: { type: 'list', index: i }, reason: `list: item ${i} as given` };
  });
}
