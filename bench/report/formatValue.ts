/** A throughput or time, short: `5.51M`, `412k`, `312` (tasks/s), `45.2 ms`, `1.3 µs`, `120 ns`. */
export function formatValue(value: number, unit: 'tasks/s' | 'ms' | 'ns'): string {
  if (unit === 'tasks/s') {
    if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
    if (value >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
    if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
    return value.toFixed(value >= 100 ? 0 : 1);
  }
  const ns = unit === 'ms' ? value * 1e6 : value;
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}
