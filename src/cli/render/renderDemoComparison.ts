import type { DemoPhase } from '../demo/runDemoPhase.js';
import { renderTable } from './renderTable.js';

/**
 * The demo's side-by-side table: wall time, throughput, the answer (so both pools are seen to do
 * the same work), then per worker its migrations, the CPUs its tasks ran on and its task count —
 * and one sentence saying what the numbers show, computed from them.
 */
export function renderDemoComparison(pinned: DemoPhase, unpinned: DemoPhase): string {
  const perWorker = (p: DemoPhase, f: (w: DemoPhase['workers'][number]) => string): string => p.workers.map(f).join(' · ');
  const rate = (p: DemoPhase): number => p.tasks / p.seconds;
  const ratio = rate(pinned) / rate(unpinned);
  const rows = [
    ['', pinned.label, unpinned.label],
    ['wall time', `${pinned.seconds.toFixed(2)} s`, `${unpinned.seconds.toFixed(2)} s`],
    ['throughput', `${rate(pinned).toFixed(1)} tasks/s`, `${rate(unpinned).toFixed(1)} tasks/s`],
    ['numbers tested', `${(pinned.numbers / pinned.seconds / 1e6).toFixed(2)} M/s`, `${(unpinned.numbers / unpinned.seconds / 1e6).toFixed(2)} M/s`],
    ['primes found', String(pinned.primes), String(unpinned.primes)],
    ['allowed CPUs per worker', perWorker(pinned, (w) => w.cpus), perWorker(unpinned, (w) => w.cpus)],
    ['migrations per worker', perWorker(pinned, (w) => String(w.migrations ?? '?')), perWorker(unpinned, (w) => String(w.migrations ?? '?'))],
    ['CPUs its tasks ended on', perWorker(pinned, (w) => w.cpusSeen.join(',') || '-'), perWorker(unpinned, (w) => w.cpusSeen.join(',') || '-')],
    ['tasks per worker', perWorker(pinned, (w) => String(w.tasks)), perWorker(unpinned, (w) => String(w.tasks))],
  ];
  const moves = (p: DemoPhase): number => p.workers.reduce((n, w) => n + (w.migrations ?? 0), 0);
  const lines = [
    pinned.primes === unpinned.primes ? 'Both pools found the same primes.' : 'The pools disagree on the primes: a bug, please report it.',
    moves(pinned) === 0
      ? `Pinned workers never left their CPUs; unpinned ones were moved ${moves(unpinned)} time${moves(unpinned) === 1 ? '' : 's'} by the scheduler.`
      : `Pinned workers were moved ${moves(pinned)} times within their sets, unpinned ones ${moves(unpinned)} times.`,
    `Throughput pinned/unpinned on this run: ${ratio.toFixed(2)}×; on a small, shared machine that is mostly noise.`,
    'What pinning guarantees is where every worker runs, for its whole life.',
  ];
  return `${renderTable(rows)}\n\n${lines.join('\n')}\n`;
}
