import { readCpuListFile } from '../os/procfs.js';
import { readTopology } from '../topology/readTopology.js';
import { flatLayout, layoutOf, type CpuLayout } from './report/CpuLayout.js';

/**
 * This machine's layout for core maps; when sysfs has no topology, its online CPUs as plain cores
 * (a report must still be drawn on a machine whose topology cannot be read).
 */
export function machineLayout(): CpuLayout {
  try {
    return layoutOf(readTopology());
  } catch {
    const online = readCpuListFile('/sys/devices/system/cpu/online');
    return flatLayout(online ?? []);
  }
}
