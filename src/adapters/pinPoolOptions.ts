import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { threadsOf } from '../affinity.js';
import type { Binding } from '../pool/PoolOptions.js';
import { CHANNEL_ENV, type SlotsAnswer, type SlotsRequest } from './AdapterChannel.js';
import type { PinnedPool, PinningOptions } from './PinnedPool.js';
import { PinnedPoolOptionsError } from './errors.js';
import { resolveAdapterSlots } from './resolveAdapterSlots.js';
import { SlotTable } from './SlotTable.js';

/** The options piscina and tinypool share that pinning reads or rewrites. */
export interface PoolOptionsShape {
  filename?: string | URL | null | undefined;
  maxThreads?: number | undefined;
  minThreads?: number | undefined;
  env?: unknown;
}

let pools = 0;

/**
 * The shared core of `pinPiscina` and `pinTinypool`: plans the slots, points `filename` at the
 * pinning worker entry (which loads the user's module after pinning), caps `maxThreads` at the
 * slot count, and hands starting workers the slot table over a BroadcastChannel named in their env.
 */
export function pinPoolOptions<O extends PoolOptionsShape>(pool: string, options: O, pinning: PinningOptions = {}): PinnedPool<O> {
  const module = userModule(pool, options.filename);
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
    throw new PinnedPoolOptionsError(`${pool} option env must be an object to pin the pool (workers find their slots through it); SHARE_ENV is not supported`);
  }
  const leaseTimeout = pinning.leaseTimeout ?? 10_000;
  if (!Number.isFinite(leaseTimeout) || leaseTimeout <= 0) throw new PinnedPoolOptionsError(`leaseTimeout must be a positive number of ms, got ${String(leaseTimeout)}`);
  const slots = resolveAdapterSlots(pinning.placement ?? 'spread', options.maxThreads);
  const table = SlotTable.create(slots.length);
  const name = `corepin-pinned-pool:${process.pid}:${++pools}:${Math.random().toString(36).slice(2)}`;
  const channel = new BroadcastChannel(name);
  const answer: SlotsAnswer = { buffer: table.buffer, cpus: slots.map((s) => s.toList()), module, leaseTimeout };
  channel.onmessage = (event: unknown) => {
    if ((event as { data?: SlotsRequest }).data?.want === 'slots') channel.postMessage(answer);
  };
  // The channel must not keep the pool's process alive; the pool's workers do that.
  (channel as unknown as { unref(): void }).unref();
  const env = { ...((options.env as Record<string, string | undefined> | undefined) ?? process.env), [CHANNEL_ENV]: name };
  const max = slots.length;
  const pinned: O = {
    ...options,
    filename: fileURLToPath(new URL('./pinnedWorkerEntry.cjs', import.meta.url)),
    maxThreads: max,
    minThreads: Math.min(options.minThreads ?? max, max),
    env,
  };
  return {
    options: pinned,
    slots,
    bindings: () => bindingsOf(table, slots),
    close: () => channel.close(),
  };
}

function userModule(pool: string, filename: string | URL | null | undefined): string {
  if (filename === undefined || filename === null || filename === '') {
    throw new PinnedPoolOptionsError(`${pool} option filename is required to pin the pool: workers pin themselves when they load it; per-task filenames alone are not pinned`);
  }
  const text = String(filename);
  if (text.startsWith('file:')) return text;
  if (!isAbsolute(text) && /^[a-z][a-z0-9+.-]*:/i.test(text)) throw new PinnedPoolOptionsError(`${pool} option filename ${JSON.stringify(text)} is not a file path or file: URL`);
  return pathToFileURL(resolve(text)).href;
}

function bindingsOf(table: SlotTable, slots: readonly import('../cpuset/CpuSet.js').CpuSet[]): Binding[] {
  const owners = table.owners();
  const threads = owners.some((t) => t !== null) ? new Map(threadsOf(process.pid).map((t) => [t.tid, t.cpus])) : new Map();
  return slots.map((cpus, slot) => {
    const tid = owners[slot] ?? null;
    const allowed = tid === null ? undefined : threads.get(tid);
    return { slot, pid: tid === null ? null : process.pid, tid, cpus, verified: allowed !== undefined && allowed.isSubsetOf(cpus) };
  });
}
