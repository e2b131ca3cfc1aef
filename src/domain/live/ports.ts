import type { Tweet } from '../types.js';

/** Live updates: consumers publish new entries and updates; API instances listen for their subscribers. Adapters implement these; only the composition root knows which. */

/** What a live home-timeline subscriber is sent: the tweet and when it was posted (for latency). */
export interface HomeEntryPush {
  tweet: Tweet;
  /** Unix ms the tweet.created message was produced. */
  producedAt: number;
}

/** Why a live subscriber must drop an entry it was sent. */
export type EntryRemovalReason = 'flagged';

/**
 * Word that a tweet must leave live timelines it reached (moderation flagged it after fan-out had
 * pushed it): every viewer but its author drops it. One message for every API instance, not per follower.
 */
export interface EntryRemoval {
  tweetId: string;
  authorId: string;
  reason: EntryRemovalReason;
}

/**
 * A message on a user's home channel: a new entry, or word that entries may have reached the
 * timeline without a push, so a live subscription should refresh the celebrity channels it listens
 * to and read the timeline after the newest entry it sent: `follows-changed` (a follow merged
 * tweets in, an unfollow took them out, a followee became a celebrity) or `reconnected` (this API
 * instance's pub/sub connection was re-established, and pub/sub does not replay what it missed).
 */
export type HomeChannelMessage = { kind: 'entry'; entry: HomeEntryPush } | { kind: 'resync'; reason: 'follows-changed' | 'reconnected' };

/** Tells connected subscribers, on whichever API instance, about new entries and updates. */
export interface LivePublisher {
  /** Pushes to those of `userIds` with a live subscriber; returns how many. */
  pushHomeEntry(userIds: readonly string[], entry: HomeEntryPush): Promise<number>;
  /**
   * Pushes to each of `userIds`, whose heartbeat keys the caller has already found (the
   * server-side fan-out checks them in the same call that writes the timelines).
   */
  publishHomeEntry(listenedUserIds: readonly string[], entry: HomeEntryPush): Promise<void>;
  pushTweetUpdated(tweetId: string): Promise<number>;
  /** Pushes a celebrity's tweet to the author's channel if anyone listens (celebrities are not fanned out). */
  pushAuthorEntry(authorId: string, entry: HomeEntryPush): Promise<number>;
  /**
   * Tells those of `userIds` with a live subscriber that their follows changed. Call it after the
   * timeline and celebrity writes it announces, so a subscriber that reads on hearing it sees them.
   */
  pushFollowsChanged(userIds: readonly string[]): Promise<number>;
  /** Tells every API instance with a live home subscriber that the tweet must go (see EntryRemoval); returns 1 if any listens. */
  pushEntryRemoved(removal: EntryRemoval): Promise<number>;
  /** Tells the user's live notifications subscription, if any, that a group changed (after it was stored); returns 1 if it listens. */
  pushNotification(userId: string, group: string): Promise<number>;
}

/** The API side of live updates: listen for one user's home channel, a celebrity's tweets, or one tweet's updates. */
export interface LiveFeed {
  /**
   * Calls `onMessage` for each message on the user's home channel until the returned function is
   * called. Resolves once listening: anything published after that is heard.
   */
  home(userId: string, onMessage: (message: HomeChannelMessage) => void): Promise<() => void>;
  /**
   * Calls `onEntry` for each new tweet of a celebrity (they are not fanned out, so their followers
   * hear them on the author's channel) until the returned function is called. Resolves once listening.
   */
  author(authorId: string, onEntry: (entry: HomeEntryPush) => void): Promise<() => void>;
  tweet(tweetId: string, onUpdate: () => void): Promise<() => void>;
  /** Calls `onRemoved` for each EntryRemoval published from now on, until the returned function is called. Resolves once listening. */
  removals(onRemoved: (removal: EntryRemoval) => void): Promise<() => void>;
  /** Calls `onGroup` with the key of each of the user's notification groups that changed, until the returned function is called. Resolves once listening. */
  notifications(userId: string, onGroup: (group: string) => void): Promise<() => void>;
  /** Channels with at least one local listener. */
  channelCount(): number;
  stop(): Promise<void>;
}
