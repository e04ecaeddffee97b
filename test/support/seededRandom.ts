/** A deterministic random source for fuzz tests: the same seed gives the same inputs on every run. */
export interface SeededRandom {
  /** The seed it was made with (print it so a failure can be replayed). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T;
}

/**
 * mulberry32, a tiny seeded PRNG. Seed from `COREPIN_FUZZ_SEED` when set, else `fallback`, so a
 * failing run can be replayed exactly.
 */
export function seededRandom(fallback: number): SeededRandom {
  const seed = Number(process.env['COREPIN_FUZZ_SEED'] ?? fallback) >>> 0;
  let a = seed;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(xs: readonly T[]): T => {
      if (xs.length === 0) throw new RangeError('pick from an empty array');
      return xs[int(xs.length)]!;
    },
  };
}
