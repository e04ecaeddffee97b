import type { PinResult } from '../pinBench.js';
import { formatValue } from './formatValue.js';
import { textTable } from './textTable.js';

/** The pin-cost table: median per call and the ratio to a native `pin` (how many native pins it costs). */
export function formatPinTable(results: readonly PinResult[], markdown = false): string {
  const base = results.find((r) => r.id === 'native-pin')?.nsPerCall ?? results[0]?.nsPerCall ?? 1;
  const rows = [['what', 'per call', '÷ native pin']];
  for (const r of results) rows.push([r.name, formatValue(r.nsPerCall, 'ns'), `${(r.nsPerCall / base).toFixed(r.nsPerCall / base >= 10 ? 0 : 2)}×`]);
  return textTable(rows, markdown);
}
