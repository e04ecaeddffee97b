// The worker module a pinned piscina or tinypool pool loads in place of the user's `filename`.
// CommonJS so that its exports can be a Proxy: the pool asks it for a handler by name (piscina via
// require, tinypool via import), and each answer is a promise that first leases a free slot from the
// shared slot table, pins this thread to the slot's CPUs, then imports the user's module and yields its
// export of that name. Both pools await the default handler when a worker starts, so the worker is
// pinned before it reports ready, before any task.
import { BroadcastChannel } from 'node:worker_threads';
import type { SlotsAnswer } from './AdapterChannel.js';

const CHANNEL_ENV = 'COREPIN_PINNED_POOL';

type Namespace = Record<string, unknown>;
let ready: Promise<Namespace> | undefined;

module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      // `__esModule`: piscina's import helper then takes this object as the module itself.
      if (key === '__esModule') return true;
      if (typeof key === 'symbol' || key === 'then') return undefined;
      ready ??= start();
      return ready.then((ns) => exportOf(ns, key));
    },
  },
);

/** The export `name` of the user's module (CommonJS modules: also a property of its default). */
function exportOf(ns: Namespace, name: string): unknown {
  if (ns[name] !== undefined) return ns[name];
  const fallback = ns['default'];
  return fallback !== null && typeof fallback === 'object' ? (fallback as Namespace)[name] : undefined;
}

async function start(): Promise<Namespace> {
  const name = process.env[CHANNEL_ENV];
  if (name === undefined || name === '') throw new Error(`corepin: pinned worker started without ${CHANNEL_ENV}; create the pool from pinPiscina/pinTinypool options`);
  const answer = await ask(name);
  const [{ pin, currentThreadId }, { SlotTable }] = await Promise.all([import('../affinity.js'), import('./SlotTable.js')]);
  const tid = currentThreadId();
  const table = new SlotTable(answer.buffer);
  const slot = await lease(table, tid, answer.leaseTimeout);
  // A clean exit gives the slot back at once; a crash or terminate() leaves a dead tid, which the next lease sees.
  process.once('exit', () => table.release(slot, tid));
  pin('thread', answer.cpus[slot]!);
  table.confirm(slot, tid);
  return (await import(answer.module)) as Namespace;
}

/** The pool's slot table, asked for on the pool's channel. */
function ask(name: string): Promise<SlotsAnswer> {
  return new Promise((resolve, reject) => {
    const channel = new BroadcastChannel(name);
    const timer = setTimeout(() => {
      channel.close();
      reject(new Error(`corepin: the pinned pool did not answer on ${name} within 10 s (was close() called?)`));
    }, 10_000);
    channel.onmessage = (event: unknown) => {
      const data = (event as { data?: Partial<SlotsAnswer> }).data;
      if (data?.buffer === undefined) return;
      clearTimeout(timer);
      channel.close();
      resolve(data as SlotsAnswer);
    };
    channel.postMessage({ want: 'slots' });
  });
}

/** A free slot, waiting (a predecessor may still be exiting) up to `timeout` ms. */
async function lease(table: InstanceType<typeof import('./SlotTable.js').SlotTable>, tid: number, timeout: number): Promise<number> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const slot = table.lease(tid);
    if (slot !== null) return slot;
    if (Date.now() > deadline) {
      const { NoFreeSlotError } = await import('./errors.js');
      throw new NoFreeSlotError(tid, table.size, timeout);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
