/**
 * Exponential time decay stored without rewrites. A weight w observed at time t is stored as
 * w · 2^((t − anchor) / halfLife); its value at `now` is stored · 2^(−(now − anchor) / halfLife).
 * Every stored score of one set shares the anchor, so all decay by the same factor and the order
 * of a sorted set is the order of current weights: reading the heaviest needs no arithmetic.
 *
 * Scores grow by 2 every half-life after the anchor, so once an increment would exceed
 * 2^REBASE_AFTER_HALF_LIVES the writer rescales the set to a new anchor (rare: 64 half-lives is
 * 448 days at the 7-day default). Doubles then stay far from overflow whatever the half-life.
 */
export const REBASE_AFTER_HALF_LIVES = 64;

/** Stored scores below this after a rebase are forgotten: 2^-40 of a click is nothing. */
export const FORGET_BELOW = 2 ** -40;

/** What to add to a set anchored at `anchor` for weight `weight` observed at `at`. */
export function scaledIncrement(weight: number, at: number, anchor: number, halfLifeMs: number): number {
  return weight * 2 ** ((at - anchor) / halfLifeMs);
}

/** The current value of a stored score. */
export function decayedWeight(stored: number, anchor: number, now: number, halfLifeMs: number): number {
  return stored * 2 ** (-(now - anchor) / halfLifeMs);
}

/** 2^(-age / halfLife): 1 for age 0, 0.5 one half-life later; ages below 0 count as 0. */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  return 2 ** (-Math.max(0, ageMs) / halfLifeMs);
}
