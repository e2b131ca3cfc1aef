import type { FollowEvent, TweetEvent } from './events.js';
import type { Position } from './cursor.js';
import type { IdPage, Tweet, User } from './types.js';

/**
 * The interfaces domain services depend on. Redis and Kafka adapters implement them;
 * only the composition root (app.ts) knows which.
 */

export interface TweetRepository {
  /** Idempotent: saving the same tweet twice leaves one copy. */
  save(tweet: Tweet): Promise<void>;
  /** Idempotent. */
  remove(id: string, authorId: string): Promise<void>;
  /** One round trip; null for unknown or deleted ids, in input order. */
  getMany(ids: readonly string[]): Promise<(Tweet | null)[]>;
}

export interface NewUser {
  user: User;
  passwordHash: string;
}

export interface UserRepository {
  /** Returns false (and writes nothing) when the handle is taken, ignoring case. */
  create(input: NewUser): Promise<boolean>;
  findIdByHandle(handle: string): Promise<string | null>;
  getPasswordHash(userId: string): Promise<string | null>;
  /** One round trip; null for unknown ids, in input order. */
  getMany(ids: readonly string[]): Promise<(User | null)[]>;
}

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
  scanFollowers(userId: string, chunkSize: number): AsyncIterable<string[]>;
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
}

export type TopicName = 'tweets' | 'follows';

export interface EventPublisher {
  /** Resolves once the broker acknowledged the message (acks=all); rejects otherwise. */
  publish(topic: 'tweets', key: string, event: TweetEvent): Promise<void>;
  publish(topic: 'follows', key: string, event: FollowEvent): Promise<void>;
}
