/** Who likes which tweet. Adapters implement these; only the composition root knows which. */

/**
 * Likes, written by the API at once: who likes which tweet (and since when) and each tweet's
 * count. Idempotent; on a Redis Cluster the user's edge is written before the count, whose change
 * follows only a changed edge.
 */
export interface LikeStore {
  /** The user likes the tweet from `at` on. `changed` false when they already did (then nothing is written). */
  like(userId: string, tweetId: string, at: number): Promise<{ changed: boolean; likeCount: number }>;
  /** The user no longer likes the tweet; `likedAt` is when they had liked it (null, and nothing changed, when they did not). */
  unlike(userId: string, tweetId: string): Promise<{ likedAt: number | null; likeCount: number }>;
  /** Whether the user likes each tweet; one call. */
  likedAmong(userId: string, tweetIds: readonly string[]): Promise<boolean[]>;
}
