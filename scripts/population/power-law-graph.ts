import { seededRandom, type Random } from './prng.js';

/** Knobs of a power-law follow graph. */
export interface PowerLawGraphOptions {
  users: number;
  /** Followers of the most followed user (rank 1); also the cap for every user. */
  maxFollowers: number;
  /**
   * Zipf exponent α: the user of rank r has ⌊maxFollowers · r^−α⌋ followers. 1 is the classic
   * Zipf law; below 1 the graph is denser (more people with many followers), 0 gives everyone
   * maxFollowers; 2 leaves little beside the top few users.
   */
  exponent: number;
  seed: number;
}

/**
 * A follow graph in compressed-sparse-row form: the followers of user `u` (user indices) are
 * `followers[offsets[u]] … followers[offsets[u + 1] − 1]`. Typed arrays keep a million users and
 * millions of edges small.
 */
export interface FollowGraphRows {
  offsets: Int32Array;
  followers: Int32Array;
}

/** Followers of the user of rank `rank` (1-based), capped at maxFollowers and at users − 1. */
export function followerCountAtRank(rank: number, o: Pick<PowerLawGraphOptions, 'users' | 'maxFollowers' | 'exponent'>): number {
  return Math.min(o.maxFollowers, o.users - 1, Math.floor(o.maxFollowers * rank ** -o.exponent));
}

/** Total edges the graph will have, without building it (for progress bars and sizing). */
export function countEdges(o: Pick<PowerLawGraphOptions, 'users' | 'maxFollowers' | 'exponent'>): number {
  let total = 0;
  for (let rank = 1; rank <= o.users; rank++) {
    const count = followerCountAtRank(rank, o);
    if (count === 0) break; // counts never grow with rank
    total += count;
  }
  return total;
}

/**
 * `count` distinct values of [0, n) other than `self`, in random order. Floyd's algorithm for a
 * small count, the complement when more than half are wanted, so a user followed by everyone costs
 * no retries.
 */
function sampleOthers(rng: Random, n: number, self: number, count: number, out: Int32Array, at: number): void {
  const others = n - 1;
  // Values are drawn from [0, others) and shifted past `self`.
  const shift = (v: number) => (v >= self ? v + 1 : v);
  if (count > others / 2) {
    const excluded = new Set<number>();
    for (let j = count; j < others; j++) {
      const t = rng.int(j + 1);
      excluded.add(excluded.has(t) ? j : t);
    }
    let k = at;
    for (let v = 0; v < others; v++) if (!excluded.has(v)) out[k++] = shift(v);
    // Shuffle so that follow order (and times) are not sorted by user index.
    for (let i = count - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = out[at + i]!;
      out[at + i] = out[at + j]!;
      out[at + j] = tmp;
    }
    return;
  }
  const chosen = new Set<number>();
  let k = at;
  for (let j = others - count; j < others; j++) {
    const t = rng.int(j + 1);
    const v = chosen.has(t) ? j : t;
    chosen.add(v);
    out[k++] = shift(v);
  }
}

/**
 * Builds the graph: user index i has rank i + 1, so user 0 is the most followed, and each user's
 * followers are drawn uniformly from everyone else. Deterministic for a seed. Pure.
 */
export function buildPowerLawGraph(o: PowerLawGraphOptions): FollowGraphRows {
  if (!Number.isInteger(o.users) || o.users < 1) throw new RangeError('users must be a positive integer');
  if (!Number.isInteger(o.maxFollowers) || o.maxFollowers < 0) throw new RangeError('maxFollowers must be a non-negative integer');
  if (!(o.exponent >= 0)) throw new RangeError('exponent must be ≥ 0');
  const rng = seededRandom(o.seed);
  const offsets = new Int32Array(o.users + 1);
  for (let u = 0; u < o.users; u++) offsets[u + 1] = offsets[u]! + followerCountAtRank(u + 1, o);
  const followers = new Int32Array(offsets[o.users]!);
  for (let u = 0; u < o.users; u++) {
    const count = offsets[u + 1]! - offsets[u]!;
    if (count > 0) sampleOthers(rng, o.users, u, count, followers, offsets[u]!);
  }
  return { offsets, followers };
}

/** The same edges the other way round: rows become whom each user follows. */
export function invertRows(graph: FollowGraphRows): FollowGraphRows {
  const users = graph.offsets.length - 1;
  const offsets = new Int32Array(users + 1);
  for (const f of graph.followers) offsets[f + 1] = offsets[f + 1]! + 1;
  for (let u = 0; u < users; u++) offsets[u + 1] = offsets[u + 1]! + offsets[u]!;
  const next = offsets.slice(0, users);
  const rows = new Int32Array(graph.followers.length);
  for (let u = 0; u < users; u++) {
    for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
      const f = graph.followers[e]!;
      rows[next[f]!] = u;
      next[f] = next[f]! + 1;
    }
  }
  return { offsets, followers: rows };
}

/** The row of user `u`. */
export function rowOf(graph: FollowGraphRows, u: number): Int32Array {
  return graph.followers.subarray(graph.offsets[u]!, graph.offsets[u + 1]!);
}
