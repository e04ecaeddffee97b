import { closePool } from '../measure/closePool.js';
import type { Peer } from '../peers/Peer.js';
import { interleave, type Contestant, type PhaseContext } from '../phases/PhaseContext.js';
import { spin } from '../tasks/sweepTasks.js';
import { SweepBook, type SweepResult } from './SweepBook.js';
import { calibrateSpin, timedBurst, warm } from './sweepHelpers.js';

/** Worker counts; on a 2-CPU machine 4 and 8 oversubscribe. */
export const WORKER_COUNTS = [1, 2, 4, 8] as const;

/**
 * Tasks/s of a burst of 1 ms CPU tasks with 1, 2, 4 and 8 workers: corepin pinned (`spread`; with
 * more workers than CPUs the slots share CPUs) and unpinned, piscina (unpinned, as every Node peer).
 */
export async function workersSweep(ctx: PhaseContext): Promise<SweepResult> {
  const { cfg } = ctx;
  const book = new SweepBook(WORKER_COUNTS.length);
  const perUs = calibrateSpin(spin);
  const iterations = Math.round(cfg.sweeps.workersTaskUs * perUs);
  const contestants: Contestant[] = [];
  for (const peer of ctx.peers.filter((p) => p.id.startsWith('corepin') || p.id === 'piscina')) {
    for (const pinned of peer.supports.pinning ? [true, false] : [false]) {
      const label = `${peer.label}${peer.supports.pinning ? (pinned ? ', pinned' : ', unpinned') : ''}`;
      contestants.push({ label, run: () => workersSample(peer, pinned, label, iterations, ctx, book) });
    }
  }
  await interleave(ctx, 'sweep workers', contestants, cfg.sweeps.rounds);
  return book.result({
    id: 'workers',
    title: `workers, ${cfg.sweeps.workersTaskUs / 1000} ms CPU tasks (burst of ${cfg.sweeps.workersTasks})`,
    xTitle: 'workers',
    xLabels: WORKER_COUNTS.map(String),
    unit: 'tasks/s',
  });
}

async function workersSample(peer: Peer, pinned: boolean, label: string, iterations: number, ctx: PhaseContext, book: SweepBook): Promise<void> {
  const { cfg } = ctx;
  for (const [x, workers] of WORKER_COUNTS.entries()) {
    let pool;
    try {
      pool = await peer.create({ workers, pinned });
    } catch (err) {
      book.note(`${label}, ${workers} workers: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    try {
      await warm(pool, 20 * workers, cfg.sampleTimeoutMs, peer.id);
      const rate = await timedBurst(cfg.sweeps.workersTasks, () => pool.apply('spin', iterations), cfg.sampleTimeoutMs, `${peer.id} ${workers} workers`);
      book.add(label, peer.id, x, rate);
    } catch (err) {
      book.note(`${label}, ${workers} workers: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await closePool(pool, `${peer.id} workers`, ctx.note);
    }
  }
}
