import { closePool } from '../measure/closePool.js';
import type { Peer } from '../peers/Peer.js';
import { interleave, type Contestant, type PhaseContext } from '../phases/PhaseContext.js';
import { spin } from '../tasks/sweepTasks.js';
import { SweepBook, type SweepResult } from './SweepBook.js';
import { calibrateSpin, timedBurst, warm } from './sweepHelpers.js';

/** CPU time per task, µs; 0 is the trivial task (`noop`). */
export const DURATIONS_US = [0, 100, 1000, 10_000] as const;
const LABELS = ['trivial', '100 µs', '1 ms', '10 ms'];

/** Tasks per sample at `us` µs on `workers` workers: about `budgetMs` of ideal wall time, 8 per worker at least. */
export function durationTasks(us: number, workers: number, budgetMs: number, trivial: number): number {
  if (us === 0) return trivial;
  return Math.max(8 * workers, Math.min(trivial, Math.round((budgetMs * 1000 * workers) / us)));
}

/**
 * Tasks/s of bursts of CPU-bound tasks (a calibrated `spin`) at 0, 100 µs, 1 ms and 10 ms, for every
 * Node pool, with an `ideal` series (workers ÷ duration: no overhead at all). Where the pools meet the
 * ideal line is where pool overhead stops mattering.
 */
export async function durationSweep(ctx: PhaseContext): Promise<SweepResult> {
  const { cfg } = ctx;
  const book = new SweepBook(DURATIONS_US.length);
  const perUs = calibrateSpin(spin);
  book.note(`spin calibrated at ${perUs.toFixed(0)} iterations per µs on the suite's own thread (best of 7); on a loaded machine a task takes longer than its nominal CPU time.`);
  const contestants: Contestant[] = ctx.peers.map((peer) => ({ label: `${peer.id} duration`, run: () => durationSample(peer, perUs, ctx, book) }));
  await interleave(ctx, 'sweep duration', contestants, cfg.sweeps.rounds);
  DURATIONS_US.forEach((us, x) => {
    if (us > 0) book.add('ideal (workers ÷ duration)', 'ideal', x, (cfg.workers * 1e6) / us);
  });
  return book.result({ id: 'duration', title: 'task duration (burst, CPU-bound tasks)', xTitle: 'CPU per task', xLabels: LABELS, unit: 'tasks/s' });
}

async function durationSample(peer: Peer, perUs: number, ctx: PhaseContext, book: SweepBook): Promise<void> {
  const { cfg } = ctx;
  let pool;
  try {
    pool = await peer.create({ workers: cfg.workers, pinned: true });
  } catch (err) {
    book.note(`${peer.label}: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    await warm(pool, 200, cfg.sampleTimeoutMs, peer.id);
    for (const [x, us] of DURATIONS_US.entries()) {
      const n = durationTasks(us, cfg.workers, cfg.sweeps.durationBudgetMs, cfg.sweeps.trivialTasks);
      const iterations = Math.round(us * perUs);
      try {
        const rate = await timedBurst(n, (i) => (us === 0 ? pool.apply('noop', i) : pool.apply('spin', iterations)), cfg.sampleTimeoutMs, `${peer.id} ${LABELS[x]}`);
        book.add(peer.label, peer.id, x, rate);
      } catch (err) {
        book.note(`${peer.label} at ${LABELS[x]}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await closePool(pool, `${peer.id} duration`, ctx.note);
  }
}
