/**
 * Runs `n` calls with exactly `inflight` outstanding at any time: a new call starts only when one
 * finishes (a closed loop, like a server handling 8 concurrent requests). Resolves when all are done.
 */
export async function closedLoop(n: number, inflight: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n) await call(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inflight, n) }, lane));
}
