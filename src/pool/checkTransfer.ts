import { TransferListError } from './TransferListError.js';

// One check of a list of buffers to move, for both directions: apply's `transfer` (the pool) and
// move() (the task). postMessage alone would accept some bad lists silently on Node 20 (a detached
// buffer arrives empty; a listed buffer not in the message is detached and lost), so they are refused here.

/**
 * Why `list` cannot be moved along with `root`, as a TransferListError, or null when every entry is
 * an ArrayBuffer, listed once, not detached, and reachable from `root` the way structured clone walks
 * it (arrays, own enumerable properties, Map and Set entries, a view's buffer). `call` names the
 * call in the message, e.g. `apply("hash")`; `where` names the list, e.g. `transfer`; `rootName` what is sent.
 */
export function checkTransfer(list: unknown, root: unknown, call: string, where: string, rootName = 'arguments'): TransferListError | null {
  if (!Array.isArray(list)) return new TransferListError(-1, `${call}: ${where} must be an array of ArrayBuffers, got ${describe(list)}; e.g. { transfer: [buf] }`);
  const seen = new Set<ArrayBuffer>();
  for (let i = 0; i < list.length; i++) {
    const b: unknown = list[i];
    const at = `${call}: ${where}[${i}]`;
    if (!(b instanceof ArrayBuffer)) {
      if (ArrayBuffer.isView(b)) return new TransferListError(i, `${at} is a ${b.constructor.name}, not an ArrayBuffer: list its .buffer (that moves all ${b.buffer.byteLength} bytes of it), or leave it out to copy`);
      if (b instanceof SharedArrayBuffer) return new TransferListError(i, `${at} is a SharedArrayBuffer, which is shared, never moved: leave it out of ${where} (it is passed as is)`);
      return new TransferListError(i, `${at} is ${describe(b)}, not an ArrayBuffer: list only ArrayBuffers`);
    }
    if (seen.has(b)) return new TransferListError(i, `${at} lists the same ArrayBuffer twice: list each buffer once`);
    if (isDetached(b)) return new TransferListError(i, `${at} is detached (it was moved already, e.g. by an earlier call): send a buffer you still own, or a copy`);
    seen.add(b);
  }
  if (seen.size > 0) {
    reachFrom(root, seen);
    if (seen.size > 0) {
      const i = list.indexOf(seen.values().next().value);
      return new TransferListError(i, `${call}: ${where}[${i}] is not reachable from what is sent, so moving it would only lose it: pass it (or a view of it) in the ${rootName}, or leave it out`);
    }
  }
  return null;
}

/** Whether `b` was moved away (detached). Node 20 has no ArrayBuffer#detached; a view cannot be made on a detached buffer. */
export function isDetached(b: ArrayBuffer): boolean {
  if (b.byteLength !== 0) return false;
  try {
    new Uint8Array(b);
    return false;
  } catch {
    return true;
  }
}

// Removes from `wanted` every buffer reachable from `root`; stops as soon as none is left.
function reachFrom(root: unknown, wanted: Set<ArrayBuffer>): void {
  const stack: unknown[] = [root];
  const visited = new Set<object>();
  while (stack.length > 0 && wanted.size > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || visited.has(v)) continue;
    visited.add(v);
    if (v instanceof ArrayBuffer) wanted.delete(v);
    else if (ArrayBuffer.isView(v)) wanted.delete(v.buffer as ArrayBuffer);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object') stack.push(v[i]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else for (const x of Object.values(v)) stack.push(x);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'null-prototype object'}`;
  return `a ${typeof v}`;
}
