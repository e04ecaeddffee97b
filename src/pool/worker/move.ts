import { checkTransfer } from '../checkTransfer.js';
import { TransferListError } from '../TransferListError.js';
import { MOVES, type Moves } from './movedResults.js';

/**
 * Inside a pool task: returns `value` itself, marked so that the ArrayBuffers in `transfer` are
 * moved to the caller with the task's result instead of copied (piscina's `Piscina.move`,
 * workerpool's `Transfer`). `transfer` defaults to `value` itself when it is an ArrayBuffer, or its
 * buffer when it is a typed array or DataView (the whole buffer moves). Return what it returns.
 *
 * A thread worker moves the buffers when it sends the result: from then on the worker's own
 * references to them are detached (byteLength 0). A process worker sends the result as it sends any
 * result (a copy; the worker keeps its buffers), and outside a pool task move() changes nothing. It
 * works for apply results (also resolved from a promise) and for the items of a map chunk.
 *
 * @throws {TransferListError} when the list is not an array of distinct, not detached ArrayBuffers
 * reachable from `value`, or no list is given and `value` is not an ArrayBuffer or a view.
 *
 * @example
 * ```ts
 * // tasks.mjs, run by a thread Pool
 * import { move } from 'corepin/worker';
 * export function render(width, height) {
 *   const pixels = new Uint8ClampedArray(width * height * 4);
 *   draw(pixels);
 *   return move(pixels); // the caller gets the pixels without a copy
 * }
 * ```
 */
export function move<T>(value: T, transfer?: readonly ArrayBuffer[]): T {
  let list: unknown = transfer;
  if (list === undefined) {
    if (value instanceof ArrayBuffer) list = [value];
    else if (ArrayBuffer.isView(value)) list = [value.buffer];
    else {
      const what = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
      throw new TransferListError(-1, `move(value): value is ${what}, not an ArrayBuffer or a view of one: return move(buf), move(view), or move(value, [buf, …]) listing the ArrayBuffers inside value`);
    }
  }
  const bad = checkTransfer(list, value, 'move(value, transfer)', 'transfer', 'value');
  if (bad !== null) throw bad;
  const moves = (globalThis as Record<symbol, Moves | undefined>)[MOVES];
  const buffers = list as readonly ArrayBuffer[];
  if (moves !== undefined && buffers.length > 0) {
    if (!moves.marked.has(value as object)) moves.pending++;
    moves.marked.set(value as object, buffers.slice());
  }
  return value;
}
