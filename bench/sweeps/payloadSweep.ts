import type { BenchConfig } from '../BenchConfig.js';
import { closePool } from '../measure/closePool.js';
import type { Peer, PoolRequest } from '../peers/Peer.js';
import { pythonPeer } from '../peers/pythonPeer.js';
import { interleave, type Contestant, type PhaseContext } from '../phases/PhaseContext.js';
import { SweepBook, type SweepResult } from './SweepBook.js';
import { timedBurst, warm } from './sweepHelpers.js';

/** Payload sizes per task, in bytes. */
export const PAYLOAD_SIZES = [16, 1024, 64 * 1024, 1024 * 1024] as const;
const LABELS = ['16 B', '1 KB', '64 KB', '1 MB'];

/** How a payload travels: a JSON-able string, an ArrayBuffer copied (structured clone), or moved (transfer list). */
type Mode = 'json' | 'clone' | 'transfer';
const MODE_WORDS: Record<Mode, string> = { json: 'string (JSON)', clone: 'ArrayBuffer, structured clone', transfer: 'ArrayBuffer, transferred' };

/** Tasks per size: a fixed byte budget per sample, at least 32 and at most `max` tasks. */
export function payloadTasks(bytes: number, budget: number, max: number): number {
  return Math.max(32, Math.min(max, Math.floor(budget / bytes)));
}

/**
 * Tasks/s of `size(payload)` bursts at 16 B … 1 MB per task, one way (the answer is a number). Every
 * series is one pool in one mode: strings go everywhere (corepin process JSON, workerpool process);
 * ArrayBuffers copied by structured clone (corepin thread, corepin process with `serialization:
 * 'advanced'`, piscina); moved by transfer list where the pool can (corepin, piscina, tinypool
 * threads: apply's `transfer`, `run`'s `transferList`); a process cannot take another's memory.
 */
export async function payloadSweep(ctx: PhaseContext): Promise<SweepResult> {
  const { cfg } = ctx;
  const book = new SweepBook(PAYLOAD_SIZES.length);
  const byId = new Map(ctx.peers.map((p) => [p.id, p]));
  const plan: [string, Mode, Partial<PoolRequest>][] = [
    ['corepin-thread', 'clone', {}],
    ['corepin-thread', 'transfer', {}],
    ['corepin-process', 'json', {}],
    ['corepin-process', 'clone', { serialization: 'advanced' }],
    ['piscina', 'clone', {}],
    ['piscina', 'transfer', {}],
    ['tinypool-thread', 'transfer', {}],
    ['workerpool-process', 'json', {}],
  ];
  const contestants: Contestant[] = [];
  for (const [id, mode, extra] of plan) {
    const peer = byId.get(id);
    if (peer) contestants.push({ label: `${id} ${mode}`, run: () => payloadSample(peer, mode, extra, cfg, book, ctx.note) });
  }
  book.note("transfer rows: corepin (thread) apply(fn, [buf], { transfer: [buf] }), piscina and tinypool run(buf, { transferList: [buf] }), a fresh buffer per task; corepin process pools cannot move memory (with 'advanced' a transfer list copies, as the clone row does).");
  if (ctx.python) {
    contestants.push({
      label: 'python payload',
      run: async () => {
        try {
          const t = await pythonPeer.run({ phase: 'payload', workers: cfg.workers, sizes: [...PAYLOAD_SIZES], tasks: PAYLOAD_SIZES.map((b) => payloadTasks(b, cfg.sweeps.payloadBudget, cfg.sweeps.payloadMaxTasks)) });
          PAYLOAD_SIZES.forEach((b, x) => {
            const r = t[String(b)];
            if (r) book.add('Python mp.Pool, bytes (pickle)', 'python-mp', x, r[0] / r[1]);
          });
        } catch (err) {
          book.note(`Python payload failed: ${(err as Error).message.split('\n')[0]}`);
        }
      },
    });
  }
  await interleave(ctx, 'sweep payload', contestants, cfg.sweeps.rounds);
  return book.result({ id: 'payload', title: 'payload size per task (one way, burst)', xTitle: 'bytes per task', xLabels: LABELS, unit: 'tasks/s' });
}

async function payloadSample(peer: Peer, mode: Mode, extra: Partial<PoolRequest>, cfg: BenchConfig, book: SweepBook, note: (l: string) => void): Promise<void> {
  const label = `${peer.label}, ${MODE_WORDS[mode]}${extra.serialization ? ` (serialization '${extra.serialization}')` : ''}`;
  let pool;
  try {
    pool = await peer.create({ workers: cfg.workers, pinned: true, ...extra });
  } catch (err) {
    book.note(`${label}: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  try {
    await warm(pool, 50, cfg.sampleTimeoutMs, peer.id);
    for (const [x, bytes] of PAYLOAD_SIZES.entries()) {
      const n = payloadTasks(bytes, cfg.sweeps.payloadBudget, cfg.sweeps.payloadMaxTasks);
      const what = `${peer.id} payload ${LABELS[x]}`;
      try {
        let rate: number;
        if (mode === 'json') {
          const s = 'x'.repeat(bytes);
          rate = await timedBurst(n, () => pool.apply('size', s), cfg.sampleTimeoutMs, what);
        } else if (mode === 'clone') {
          // A fresh buffer per task, as in the transfer rows: one buffer sent n times would be cloned
          // once per message by a pool that batches (structured clone keeps identity within a message).
          const bufs = Array.from({ length: n }, () => new ArrayBuffer(bytes));
          rate = await timedBurst(n, (i) => pool.apply('size', bufs[i]!), cfg.sampleTimeoutMs, what);
        } else {
          const send = pool.applyTransfer?.bind(pool);
          if (!send) throw new Error(`${peer.id} cannot transfer`);
          const bufs = Array.from({ length: n }, () => new ArrayBuffer(bytes));
          rate = await timedBurst(n, (i) => send('size', bufs[i]!), cfg.sampleTimeoutMs, what);
        }
        book.add(label, peer.id, x, rate);
      } catch (err) {
        book.note(`${label} at ${LABELS[x]}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await closePool(pool, `${peer.id} payload`, note);
  }
}
