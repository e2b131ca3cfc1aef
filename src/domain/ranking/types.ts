/** A tag and how much a user likes it: decayed signals on tweets carrying it, plus a chosen interest's weight. */
export interface TagWeight {
  tag: string;
  weight: number;
}

/** The kinds of signal taste learns from; their weights are configuration (TASTE_WEIGHT_*). */
export interface SignalWeights {
  click: number;
  like: number;
  /** ≤ 0: what "not interested" adds to the tweet's author. */
  notInterested: number;
  /** ≤ 0: what "not interested" adds to each of the tweet's tags. */
  notInterestedTag: number;
  /** A tag chosen with setInterests; does not decay. */
  interest: number;
}

/**
 * The signal that carries a tag in a user's taste, for the reason a ranking gives: the chosen
 * interest, or the likes or clicks on tweets carrying it (how many; 0 when not counted, as for
 * clicks learned before counts were kept).
 */
export type TasteSource = { signal: 'chosen' } | { signal: 'like' | 'click'; count: number };

/** One tag of a taste: its weight now, and what carries it (absent for bare weights, e.g. in tests). */
export interface TasteTag extends TagWeight {
  source?: TasteSource;
}

/** What ranking reads of a user's taste, in one store call. */
export interface TasteProfile {
  /** Every tag with a weight (negative ones taught by "not interested" last), heaviest first. */
  tags: readonly TasteTag[];
  /** Author id → weight (< 0) that "not interested" gave them, decayed to now. */
  authors: ReadonlyMap<string, number>;
}

/**
 * Why a tweet was ranked where it is, as data: rendered to text at read time (the follow reason
 * names the author's current handle, which the page loads anyway).
 */
export type Reason =
  /** `source` is absent in snapshots stored before signals were named (they were clicks). */
  | { kind: 'taste'; tag: string; source?: TasteSource }
  | { kind: 'follow' }
  | { kind: 'popular' }
  /** Named only when nothing else is: a new tweet that ranked on recency alone. */
  | { kind: 'recent' };

/** One ranked tweet: what a forYou snapshot stores per position. */
export interface RankedEntry {
  tweetId: string;
  authorId: string;
  score: number;
  /** Strongest first; never empty for a candidate from any source. */
  reasons: Reason[];
}

/** What the ranker knows about one candidate tweet. */
export interface Candidate {
  tweetId: string;
  authorId: string;
  /** Best first; empty when untagged. */
  tags: readonly string[];
  /** Unix ms the tweet was posted. */
  createdAt: number;
  /** The viewer follows the author. */
  followed: boolean;
  /** Share of the most popular tweet's recent clicks, 0..1; 0 when not among the popular. */
  popularity: number;
}

/** How much each ranking term counts. All weights ≥ 0; see README for the defaults. */
export interface RankingWeights {
  /** Taste affinity: the best normalised weight among the tweet's tags, 0..1. */
  taste: number;
  /** Recency: 2^(-age / recencyHalfLifeMs), 0..1. */
  recency: number;
  /** Added when the viewer follows the author. */
  follow: number;
  /** Popularity, 0..1. */
  popular: number;
  /** The author's share in the taste, −1..0 (negative feedback). */
  author: number;
  recencyHalfLifeMs: number;
}
