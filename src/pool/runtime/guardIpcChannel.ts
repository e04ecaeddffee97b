import type { ChildProcess } from 'node:child_process';

type ReadCallback = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Keeps bytes that are not Node's IPC framing from killing this process. Node parses what a child
 * writes on its IPC file descriptor inside the channel's read callback, where a parse error is an
 * uncaught exception in the *parent*: one stray write to fd 3 by a task (or a library it loads)
 * would take down the pool and everything else in the process. The guard catches that error and
 * calls `onGarbage` once; the channel's framing cannot be trusted afterwards, so the caller should
 * end the child. Reads go on being passed to Node, so the channel still closes normally.
 *
 * Reaches the pipe through Node's internal `kChannelHandle` property of the ChildProcess (present
 * in Node 12 to 24); returns false, guarding nothing, where it is not found.
 */
export function guardIpcChannel(child: ChildProcess, onGarbage: (error: unknown) => void): boolean {
  const key = Object.getOwnPropertySymbols(child).find((s) => s.description === 'kChannelHandle');
  const pipe: unknown = key === undefined ? undefined : (child as unknown as Record<symbol, unknown>)[key];
  if (typeof pipe !== 'object' || pipe === null || typeof (pipe as { onread?: unknown }).onread !== 'function') return false;
  const handle = pipe as { onread: ReadCallback };
  const read = handle.onread;
  let reported = false;
  handle.onread = function guardedRead(this: unknown, ...args: unknown[]): unknown {
    try {
      return read.apply(this, args);
    } catch (err) {
      if (!reported) {
        reported = true;
        onGarbage(err);
      }
      return undefined;
    }
  };
  return true;
}
