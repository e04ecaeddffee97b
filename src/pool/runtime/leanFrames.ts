import { DONE, Mode, RUN, Status } from '../protocol.js';

// A leaner framing of the commonest process-pool messages, applied on the pipe only (processRuntime
// and worker/entryProcess pack and unpack; the pool and the worker loop see the usual messages).
// A burst of `apply(fn, [x])` sends tasks with consecutive ids, one export and one argument each,
// and gets every result back as a plain value: written the usual way that is `id, fn, mode, 1, x`
// per task out and `id, status, value` back, where the lean form carries just `x` and `value`.
// JSON.stringify/parse of those messages was measured at ~160 ns a task on each side; the lean
// form at ~35 ns (bench/history/pipe.md).

/** Pool → process worker: `[RUN_SEQ, firstId, fn, arg…]` — Apply tasks firstId, firstId+1, … of `fn`, one argument each. */
export const RUN_SEQ = 'cp:run-seq';
/** Process worker → pool: `[DONE_SEQ, busyMs, firstId, value…]` — tasks firstId, firstId+1, … returned these values (Status.Ok). */
export const DONE_SEQ = 'cp:done-seq';

// Below this many tasks the usual form is as small, and packing is not worth a pass.
const MIN_PACKED = 4;
const RUN_STRIDE = 5;
const DONE_STRIDE = 3;

/**
 * The lean form of a RUN message (see writeRunTask) when every task in it is an Apply with one
 * argument, the ids are consecutive and the export is named once; otherwise `m` itself.
 */
export function packRun(m: readonly unknown[]): readonly unknown[] {
  const n = (m.length - 1) / RUN_STRIDE;
  if (m[0] !== RUN || n < MIN_PACKED || !Number.isInteger(n) || typeof m[2] !== 'string') return m;
  const first = m[1] as number;
  for (let k = 1, id = first; k < m.length; k += RUN_STRIDE, id++) {
    if (m[k] !== id || m[k + 2] !== Mode.Apply || m[k + 3] !== 1 || (k > 1 && m[k + 1] !== null)) return m;
  }
  const out: unknown[] = [RUN_SEQ, first, m[2]];
  for (let k = 5; k < m.length; k += RUN_STRIDE) out.push(m[k]);
  return out;
}

/** The usual RUN message for a lean one; anything else is returned as it is (the worker checks it). */
export function unpackRun(m: unknown): unknown {
  if (!Array.isArray(m) || m[0] !== RUN_SEQ) return m;
  const first: unknown = m[1];
  const fn: unknown = m[2];
  // Not from the pool: left lean, so the worker ignores it as it ignores any unknown message.
  if (typeof first !== 'number' || !Number.isSafeInteger(first) || !Number.isSafeInteger(first + m.length) || typeof fn !== 'string' || m.length < 4) return m;
  const out: unknown[] = [RUN];
  for (let k = 3, id = first; k < m.length; k++, id++) out.push(id, k === 3 ? fn : null, Mode.Apply, 1, m[k]);
  return out;
}

/** The lean form of a DONE message when every result is Status.Ok and the ids are consecutive; otherwise `m`. */
export function packDone(m: readonly unknown[]): readonly unknown[] {
  const n = (m.length - 2) / DONE_STRIDE;
  if (m[0] !== DONE || n < MIN_PACKED || !Number.isInteger(n)) return m;
  const first = m[2] as number;
  for (let k = 2, id = first; k < m.length; k += DONE_STRIDE, id++) {
    if (m[k] !== id || m[k + 1] !== Status.Ok) return m;
  }
  const out: unknown[] = [DONE_SEQ, m[1], first];
  for (let k = 4; k < m.length; k += DONE_STRIDE) out.push(m[k]);
  return out;
}

/**
 * The usual DONE message for a lean one, for the pool to check and act on. A lean message that is
 * malformed comes out as a malformed DONE (`[DONE, 'malformed cp:done-seq']`), which the pool refuses
 * as a broken pool message (the worker is replaced), as it would any malformed DONE.
 */
export function unpackDone(m: unknown): unknown {
  if (!Array.isArray(m) || m[0] !== DONE_SEQ) return m;
  const busy: unknown = m[1];
  const first: unknown = m[2];
  if (typeof first !== 'number' || !Number.isSafeInteger(first) || !Number.isSafeInteger(first + m.length) || m.length < 4) return [DONE, `malformed ${DONE_SEQ}`];
  const out: unknown[] = [DONE, busy];
  for (let k = 3, id = first; k < m.length; k++, id++) out.push(id, Status.Ok, m[k]);
  return out;
}
