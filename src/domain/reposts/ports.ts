/** Who reposted which tweet. Adapters implement these; only the composition root knows which. */

/** One repost: who, and when (unix ms). */
export interface Repost {
  reposterId: string;
  at: number;
}

/**
 * The reposters of each tweet, with when they reposted. Written by the API (repost, unrepost) and,
 * in a rebuild, by the restorer replaying the same events.
 */
export interface RepostStore {
  /**
   * Records the repost at `at` unless the user already reposted the tweet (the first time stays)
   * or the tweet was deleted (its tombstone). `added` is false when nothing was written; `deleted`
   * says why, for a deleted tweet. Idempotent.
   */
  add(tweetId: string, reposterId: string, at: number): Promise<{ added: boolean; deleted: boolean }>;
  /** The time of the repost it removed, or null if there was none. Idempotent. */
  remove(tweetId: string, reposterId: string): Promise<number | null>;
  /** Whether the user reposts the tweet now. */
  has(tweetId: string, reposterId: string): Promise<boolean>;
  /** How many users reposted each tweet, in input order; one round trip. */
  counts(tweetIds: readonly string[]): Promise<number[]>;
  /**
   * The earliest `limit` reposts of each tweet, oldest first, in input order; one round trip. Home
   * pages use them to name which followee reposted an entry.
   */
  earliest(tweetIds: readonly string[], limit: number): Promise<Repost[][]>;
}
