import type { Position } from '../cursor.js';
import type { IdPage } from '../types.js';

/** Home and author timelines, and where an interrupted fan-out stopped. Adapters implement these; only the composition root knows which. */

/**
 * Where an interrupted fan-out stopped, so a redelivered tweet resumes instead of starting over.
 * Entries expire on their own (a day) in case a fan-out is abandoned.
 */
export interface FanOutCheckpoints {
  get(tweetId: string): Promise<string | null>;
  save(tweetId: string, cursor: string): Promise<void>;
  clear(tweetId: string): Promise<void>;
}

/** Owns the home and author timeline collections: ordering, cap, idempotent inserts. */
export interface TimelineStore {
  /** Adds the tweet to each user's home timeline, trimming to the cap. Idempotent. */
  addToHomeTimelines(userIds: readonly string[], tweetId: string): Promise<void>;
  removeFromHomeTimelines(userIds: readonly string[], tweetId: string): Promise<void>;
  homePage(userId: string, first: number, after?: Position): Promise<IdPage>;
  /** The author's own tweet list (profile page, follow merges). Idempotent. */
  addAuthorTweet(authorId: string, tweetId: string): Promise<void>;
  removeAuthorTweet(authorId: string, tweetId: string): Promise<void>;
  authorPage(authorId: string, first: number, after?: Position): Promise<IdPage>;
  /** Copies the author's most recent tweets into the user's home timeline, trimming to the cap. Idempotent. */
  mergeAuthorIntoHome(userId: string, authorId: string): Promise<void>;
  /** Removes every tweet of the author (as far as the author list reaches) from the user's home timeline. */
  unmergeAuthorFromHome(userId: string, authorId: string): Promise<void>;
  /**
   * When the author became a celebrity: the tweet time (ms) from which their tweets are merged at
   * read time instead of fanned out; null for everyone else.
   */
  celebritySince(authorId: string): Promise<number | null>;
  /** Marks the author a celebrity from `since` unless already marked; returns the time in force. */
  markCelebrity(authorId: string, since: number): Promise<number>;
  /** Records that each user follows the celebrity, so their home pages merge the author in. Idempotent. */
  addFollowedCelebrity(userIds: readonly string[], authorId: string): Promise<void>;
  removeFollowedCelebrity(userId: string, authorId: string): Promise<void>;
  /** The celebrities recorded for the user (may include some the user has since unfollowed). */
  followedCelebrities(userId: string): Promise<string[]>;

  /**
   * Live catch-ups: the entries of the user's home timeline newer than `after` (exclusive), oldest
   * first (the reverse of homePage's order), at most `limit`; `hasNextPage` means more newer ones
   * exist. Reads only.
   */
  homeEntriesAfter(userId: string, after: Position, limit: number): Promise<IdPage>;
  /** The same read over the author's own tweet list (celebrities, merged at read time). */
  authorEntriesAfter(authorId: string, after: Position, limit: number): Promise<IdPage>;
}
