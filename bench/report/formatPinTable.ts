import type { PinResult } from '../pinBench.js';
import { formatValue } from './formatValue.js';
import { textTable } from './textTable.js';

/**
 * The pin-cost table: median wall time per call and its ratio to a native `pin` (how many native
 * pins it costs), and the median CPU time per call of the in-process calls (what the Python
 * comparison reads).
 */
export function formatPinTable(results: readonly PinResult[], markdown = false): string {
  const base = results.find((r) => r.id === 'native-pin')?.nsPerCall ?? results[0]?.nsPerCall ?? 1;
  const rows = [['what', 'per call', '÷ native pin', 'CPU time per call']];
  for (const r of results) {
    const ratio = r.nsPerCall / base;
    rows.push([r.name, formatValue(r.nsPerCall, 'ns'), `${ratio.toFixed(ratio >= 10 ? 0 : 2)}×`, r.cpuNsPerCall === null || r.cpuNsPerCall === undefined ? '—' : formatValue(r.cpuNsPerCall, 'ns')]);
  }
  return textTable(rows, markdown);
}
