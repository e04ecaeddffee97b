// The worker's side of move() (move.ts): values a task marked to be moved, found again when they
// are answered, and their buffers, which go as the transfer list of the next results message.
// Reached through a global symbol, not a shared module, so a task module that resolves its own copy
// of corepin still marks results for this worker (as reportProgress does).

/** What `move()` marked and what the worker will move: see {@link installMoves}. */
export interface Moves {
  /** Values move() marked and not yet answered, with the buffers to move with each. */
  readonly marked: WeakMap<object, readonly ArrayBuffer[]>;
  /** Marks not yet answered (0: no result needs looking up: the cost when move() is not used). */
  pending: number;
  /** Buffers of answered results not yet sent: the transfer list of the next results message. */
  ready: ArrayBuffer[];
}

/** Where a thread worker keeps its {@link Moves} (absent in a process worker, and outside a pool: move() then changes nothing). */
export const MOVES = Symbol.for('corepin.moves');

/** This worker's marks; every result looks at `pending` only. */
export const moves: Moves = { marked: new WeakMap(), pending: 0, ready: [] };

/** Makes move() mark results for this worker (thread workers: a process worker copies results anyway). */
export function installMoves(): void {
  (globalThis as Record<symbol, Moves>)[MOVES] = moves;
}

/**
 * A task answered `value`: if move() marked it (or, for a map chunk's results, any of its items), its
 * buffers join the next results message's transfer list (each once). Call only while `moves.pending`.
 */
export function takeMoved(value: unknown, chunk: boolean): void {
  if (typeof value !== 'object' || value === null) return;
  if (chunk && Array.isArray(value)) {
    for (let i = 0; i < value.length && moves.pending > 0; i++) takeMoved(value[i], false);
    return;
  }
  const list = moves.marked.get(value);
  if (list === undefined) return;
  moves.marked.delete(value);
  moves.pending--;
  for (const b of list) if (!moves.ready.includes(b)) moves.ready.push(b);
}
