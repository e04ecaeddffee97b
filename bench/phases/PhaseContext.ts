import type { BenchConfig } from '../BenchConfig.js';
import type { ResultBook } from '../measure/ResultBook.js';
import type { Peer } from '../peers/Peer.js';

/** What every phase of a run gets: the sizes, the pools that can run here, and where results go. */
export interface PhaseContext {
  readonly cfg: BenchConfig;
  /** Node peers that are available, corepin first of each kind. */
  readonly peers: readonly Peer[];
  /** Whether Python's multiprocessing can be run. */
  readonly python: boolean;
  readonly book: ResultBook;
  /** Progress to stderr (the table goes to stdout). */
  readonly log: (line: string) => void;
  /** Caveats for the report's notes. */
  readonly notes: string[];
  /** Adds a note (once per distinct text) and logs it. */
  readonly note: (line: string) => void;
}

/** One contestant of a round: a label for progress and the work that records its result. */
export interface Contestant {
  readonly label: string;
  run(): Promise<void>;
}

/**
 * Runs `rounds` rounds (the config's unless given); in each, every contestant once, the order rotated by one per round so that no
 * pool always goes first (or always runs right after the same neighbour). A contestant that throws has
 * its error recorded by itself; this only keeps going.
 */
export async function interleave(ctx: PhaseContext, phase: string, contestants: readonly Contestant[], rounds = ctx.cfg.rounds): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const t0 = Date.now();
    for (let k = 0; k < contestants.length; k++) {
      const c = contestants[(k + r) % contestants.length]!;
      await c.run();
    }
    ctx.log(`${phase}: round ${r + 1}/${rounds} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}
