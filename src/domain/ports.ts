import type { TopicEvents, TopicName } from './events.js';
import type { Position } from './cursor.js';
import type { IdPage, ModerationVerdict, Tweet, TweetTags, User } from './types.js';
import type { RankedEntry, TagWeight } from './ranking/types.js';

/**
 * The interfaces domain services depend on. Redis and Kafka adapters implement them;
 * only the composition root (app.ts) knows which.
 */

export interface TweetRepository {
  /** Idempotent: saving the same tweet twice leaves one copy. */
  save(tweet: Tweet): Promise<void>;
  /** Idempotent. */
  remove(id: string, authorId: string): Promise<void>;
  /** One round trip, tags and moderation included; null for unknown or deleted ids, in input order. */
  getMany(ids: readonly string[]): Promise<(Tweet | null)[]>;
  getTags(id: string): Promise<TweetTags | null>;
  /** Idempotent (last write wins). */
  saveTags(id: string, tags: TweetTags): Promise<void>;
  removeTags(id: string): Promise<void>;
  getModeration(id: string): Promise<ModerationVerdict | null>;
  saveModeration(id: string, verdict: ModerationVerdict): Promise<void>;
  removeModeration(id: string): Promise<void>;
}

/** Recent tweet ids per tag, newest first, capped: candidate generation for ranking. */
export interface TagIndex {
  /** Idempotent. */
  add(tweetId: string, tags: readonly string[]): Promise<void>;
  remove(tweetId: string, tags: readonly string[]): Promise<void>;
  recent(tag: string, limit: number): Promise<string[]>;
  /** `recent` for several tags in one round trip, in input order. */
  recentMany(tags: readonly string[], limit: number): Promise<string[][]>;
}

/** Remembers what the LLM answered for a text, so the same text is never paid for twice. */
export interface TagCache {
  get(text: string): Promise<string[] | null>;
  set(text: string, tags: readonly string[]): Promise<void>;
}

export interface NewUser {
  user: User;
  passwordHash: string;
}

export interface UserRepository {
  /** Returns false (and writes nothing) when the handle is taken, ignoring case. */
  create(input: NewUser): Promise<boolean>;
  /**
   * Undoes `create`: removes the user and the password hash, and frees the handle if this user
   * still holds it. Idempotent.
   */
  remove(user: User): Promise<void>;
  /** Writes the user, hash and handle as given, whoever held the handle (replaying `users`). Idempotent. */
  restore(input: NewUser): Promise<void>;
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
}

export type { TopicName };

export interface EventPublisher {
  /**
   * Resolves once the broker acknowledged the message (acks=all); rejects with
   * SERVICE_UNAVAILABLE otherwise (then the message may or may not have been written).
   */
  publish<T extends TopicName>(topic: T, key: string, event: TopicEvents[T]): Promise<void>;
}

/** A message as a topic stores it, not yet decoded. */
export interface LoggedMessage {
  /** Physical topic name. */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Offsets [low, high) of one partition at the moment they were read: what a replay reads. */
export interface PartitionRange {
  partition: number;
  low: string;
  high: string;
}

/**
 * The broker seen as the record of events, for `rebuild`. Topics and groups are the logical
 * names; the adapter applies the deployment's namespace.
 */
export interface EventLog {
  /** Those of `groups` that have members right now, with their state and member count. */
  activeGroups(groups: readonly string[]): Promise<{ group: string; state: string; members: number }[]>;
  /** Every partition's [low, high) now. */
  watermarks(topic: TopicName): Promise<PartitionRange[]>;
  /**
   * Calls `onMessage` once for every offset in `ranges`, one message at a time, each partition in
   * order, and resolves after the last; later messages are not delivered. Rejects with the first
   * error `onMessage` throws. Commits nothing to any group of the deployment.
   */
  read(
    topic: TopicName,
    ranges: readonly PartitionRange[],
    onMessage: (message: LoggedMessage, heartbeat: () => Promise<void>) => Promise<void>,
  ): Promise<void>;
  /** Sets `group`'s committed offsets on `topic`. Rejects while the group has members. */
  commitOffsets(group: string, topic: TopicName, offsets: readonly { partition: number; offset: string }[]): Promise<void>;
  /** Produces a copy of `message` with `headers` added to `group`'s retry topic for `topic`. */
  handToRetry(group: string, topic: TopicName, message: LoggedMessage, headers: Record<string, string>): Promise<void>;
}

/** The service's own keys in Redis (the families of keys.ts), on every node. For `rebuild`. */
export interface Keyspace {
  /**
   * Deletes every key of the service's families, leaving any other key alone; returns how many it
   * deleted. `onScanned` reports keys looked at so far against the nodes' total. Keys written
   * while it runs may survive it.
   */
  wipe(onScanned?: (scanned: number, total: number) => void): Promise<number>;
  /** How many keys of the service's families exist. */
  count(): Promise<number>;
}

/** What a live home-timeline subscriber is sent: the tweet and when it was posted (for latency). */
export interface HomeEntryPush {
  tweet: Tweet;
  /** Unix ms the tweet.created message was produced. */
  producedAt: number;
}

/** Tells connected subscribers, on whichever API instance, about new entries and updates. */
export interface LivePublisher {
  /** Pushes to those of `userIds` with a live subscriber; returns how many. */
  pushHomeEntry(userIds: readonly string[], entry: HomeEntryPush): Promise<number>;
  pushTweetUpdated(tweetId: string): Promise<number>;
  /** Pushes a celebrity's tweet to the author's channel if anyone listens (celebrities are not fanned out). */
  pushAuthorEntry(authorId: string, entry: HomeEntryPush): Promise<number>;
}

/** One click as the taste group learns it: who, which tweet, its tags, and when. */
export interface LearnedClick {
  userId: string;
  tweetId: string;
  tags: readonly string[];
  /** Unix ms of the click; weights decay from it. */
  at: number;
}

/**
 * What clicks taught: per-user tag weights with exponential time decay, the tweets each user
 * clicked, and recently popular tweets. Weights are stored scaled to an anchor time, so decay
 * needs no rewrite and the heaviest tags are one read.
 */
export interface TasteStore {
  /**
   * Adds the click's tags to the user's taste, the tweet to the user's clicked set and to the
   * popular set, atomically. Idempotent per window: a click on a tweet the user already had counted
   * less than the dedupe window before (or after) `at` changes nothing and returns false, so a
   * redelivered message never counts twice.
   */
  recordClick(click: LearnedClick): Promise<boolean>;
  /** The user's heaviest tags with their weights decayed to `now`, heaviest first; one call. */
  topTags(userId: string, limit: number, now: number): Promise<TagWeight[]>;
  /** Whether the user clicked each tweet (as far as the capped clicked set remembers); one call. */
  clickedAmong(userId: string, tweetIds: readonly string[]): Promise<boolean[]>;
  /** The most clicked tweets lately, most first, with their relative popularity in (0, 1]; one call. */
  popular(limit: number): Promise<{ tweetId: string; popularity: number }[]>;
}

/** Counts requests per subject in a fixed window. */
export interface RateLimiter {
  /**
   * Takes one request from `subject`'s allowance. A refused request changes nothing stored and says
   * how many seconds until the window resets.
   */
  take(subject: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

/** Ranked lists kept for a while, so later pages of one ranking stay stable while new tweets arrive. */
export interface RankingSnapshots {
  /** Stores the entries (best first) under a fresh random id, expiring after the configured TTL. One round trip. */
  save(userId: string, entries: readonly RankedEntry[]): Promise<string>;
  /**
   * Entries [offset, offset + count) and the snapshot's length; null when it expired (or never
   * existed for this user). One round trip.
   */
  read(userId: string, snapshotId: string, offset: number, count: number): Promise<{ entries: RankedEntry[]; total: number } | null>;
}
