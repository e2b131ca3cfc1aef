import type { Tweet } from '../types.js';

/** Live updates: consumers publish new entries and updates; API instances listen for their subscribers. Adapters implement these; only the composition root knows which. */

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
  /**
   * Pushes to each of `userIds`, whose heartbeat keys the caller has already found (the
   * server-side fan-out checks them in the same call that writes the timelines).
   */
  publishHomeEntry(listenedUserIds: readonly string[], entry: HomeEntryPush): Promise<void>;
  pushTweetUpdated(tweetId: string): Promise<number>;
  /** Pushes a celebrity's tweet to the author's channel if anyone listens (celebrities are not fanned out). */
  pushAuthorEntry(authorId: string, entry: HomeEntryPush): Promise<number>;
}

/** The API side of live updates: listen for one user's new entries or one tweet's updates. */
export interface LiveFeed {
  /**
   * Calls `onEntry` for each entry pushed to the user, and for each new tweet of the given
   * celebrities (they are not fanned out, so they are heard on their own channels), until the
   * returned function is called.
   */
  home(userId: string, celebrities: readonly string[], onEntry: (entry: HomeEntryPush) => void): Promise<() => void>;
  tweet(tweetId: string, onUpdate: () => void): Promise<() => void>;
  /** Channels with at least one local listener. */
  channelCount(): number;
  stop(): Promise<void>;
}
