// Tasks of the sweeps: a fixed amount of CPU work, and a payload whose size is all that matters.

/**
 * Spins `iterations` rounds of integer arithmetic (the harness calibrates iterations per µs once, on
 * its own thread) and returns a number that depends on every round, so the loop cannot be dropped.
 */
export function spin(iterations: number): number {
  let x = 1;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/** The size of the payload it was given (bytes of an ArrayBuffer or view, characters of a string): one way, small answer. */
export function size(payload: unknown): number {
  if (typeof payload === 'string') return payload.length;
  if (payload instanceof ArrayBuffer) return payload.byteLength;
  if (ArrayBuffer.isView(payload)) return payload.byteLength;
  return -1;
}
