import type { Position } from '../cursor.js';
import type { IdPage } from '../types.js';

/** The follow graph, both directions. Adapters implement these; only the composition root knows which. */

export interface FollowCounts {
  followers: number;
  following: number;
}

export interface FollowGraph {
  /** Writes both directions at once. Returns false if the edge already existed. */
  follow(followerId: string, followeeId: string, at: number): Promise<boolean>;
  /** Returns false if there was no edge. */
  unfollow(followerId: string, followeeId: string): Promise<boolean>;
  /** One round trip for all ids. */
  counts(userIds: readonly string[]): Promise<FollowCounts[]>;
  followers(userId: string, first: number, after?: Position): Promise<IdPage>;
  following(userId: string, first: number, after?: Position): Promise<IdPage>;
  /**
   * Up to `limit` followers after position `after` (null: from the start) in (follow time, id)
   * order, within the follow times of `range`; one round trip. A follower present from the first
   * call of a walk to its last is returned exactly once; see FollowerChunk.
   */
  followersAfter(userId: string, after: Position | null, limit: number, range?: FollowTimeRange): Promise<FollowerChunk>;
  /** How many followers the user has; one command. */
  followerCount(userId: string): Promise<number>;
  /**
   * Follow times (ms) that cut the followers, ordered by follow time, into slices of about
   * `sliceSize`: ascending and distinct, so a run of equal times is never split. One round trip.
   */
  followerSplitPoints(userId: string, sliceSize: number): Promise<number[]>;
  /** Every account the user follows, oldest follow first; one command. */
  followingIds(userId: string): Promise<string[]>;
  /** Whether each of `candidateIds` follows `followeeId`, in input order; one command. */
  followedBy(followeeId: string, candidateIds: readonly string[]): Promise<boolean[]>;
  /** Whether `followerId` follows each of `followeeIds`, in input order; one round trip. */
  isFollowing(followerId: string, followeeIds: readonly string[]): Promise<boolean[]>;
}

/** Follow times [from, to) in ms; null ends are open. */
export interface FollowTimeRange {
  from: number | null;
  to: number | null;
}

/**
 * One chunk of a follower walk. `last` is the (follow time, id) position of its last follower:
 * the walk goes on after it, and a resumed walk starts there (null when the chunk is empty).
 * `done` says the range had nothing after it when the chunk was read.
 */
export interface FollowerChunk {
  ids: string[];
  last: Position | null;
  done: boolean;
}
