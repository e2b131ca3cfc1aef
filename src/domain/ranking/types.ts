/** A tag and how much a user likes it: decayed clicks on tweets carrying it. */
export interface TagWeight {
  tag: string;
  weight: number;
}

/**
 * Why a tweet was ranked where it is, as data: rendered to text at read time (the follow reason
 * names the author's current handle, which the page loads anyway).
 */
export type Reason =
  | { kind: 'taste'; tag: string }
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

/** How much each signal counts. All weights ≥ 0; see README for the defaults. */
export interface RankingWeights {
  /** Taste affinity: the best normalised weight among the tweet's tags, 0..1. */
  taste: number;
  /** Recency: 2^(-age / recencyHalfLifeMs), 0..1. */
  recency: number;
  /** Added when the viewer follows the author. */
  follow: number;
  /** Popularity, 0..1. */
  popular: number;
  recencyHalfLifeMs: number;
}
