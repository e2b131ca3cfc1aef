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
   * Every follower id, in chunks of about `chunkSize`. Followers present for the whole scan are
   * returned at least once (a chunk may repeat ids across a concurrent change).
   */
  scanFollowers(userId: string, chunkSize: number, from?: string): AsyncIterable<FollowerChunk>;
  /** How many followers the user has; one command. */
  followerCount(userId: string): Promise<number>;
  /**
   * Follow times (ms) that cut the followers, ordered by follow time, into slices of about
   * `sliceSize`: ascending and distinct, so a run of equal times is never split. One round trip.
   */
  followerSplitPoints(userId: string, sliceSize: number): Promise<number[]>;
  /** Followers whose follow time is in [from, to); null bounds are open. */
  followersBetween(userId: string, from: number | null, to: number | null): Promise<string[]>;
  /** Whether `followerId` follows each of `followeeIds`, in input order; one round trip. */
  isFollowing(followerId: string, followeeIds: readonly string[]): Promise<boolean[]>;
}

/** A chunk of a follower scan and the cursor to resume after it ('0' once the scan is complete). */
export interface FollowerChunk {
  ids: string[];
  next: string;
}
