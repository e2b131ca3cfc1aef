import type { Position } from '../cursor.js';
import type { FollowTimeRange } from '../follows/ports.js';
import type { HomeEntryPush } from '../live/ports.js';
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

/**
 * Whether a home page read found the reader's timeline whole: `none`; being rebuilt by someone
 * (`running`); or in need of a rebuild that this reader now holds the lease for (`start`): the
 * reader came back after TIMELINE_ACTIVE_DAYS, or a rebuild's lease ran out unfinished.
 */
export type HomeRebuildState = 'none' | 'running' | 'start';

export interface HomePage extends IdPage {
  rebuild: HomeRebuildState;
}

/** One chunk of a fan-out written inside Redis (TimelineStore.fanOutChunk). */
export interface FanOutChunkRequest {
  authorId: string;
  entry: HomeEntryPush;
  /** Follow times of the followers to cover (a slice; open for a whole audience). */
  range: FollowTimeRange;
  /** Position of the last follower of the previous chunk; null for the first. */
  after: Position | null;
  /** Followers read (and written, if active) by this one call. */
  limit: number;
  /**
   * Users whose muters and block partners are skipped (the author; for a repost, also the
   * original's author), where that relation is older than the entry. None when absent.
   */
  excludeAudienceOf?: readonly string[];
  /**
   * For a reply to someone else: only followers who also follow this user (the author replied to),
   * and this user, receive it (Twitter's rule). Absent: every follower.
   */
  alsoFollowing?: string;
  /** The entry's score when it is not the tweet's time: a repost's time. */
  score?: number;
  /** Add only where the tweet is not there yet (a repost: never moves or repeats an entry). */
  onlyNew?: boolean;
  /** A follower who never receives it (a repost's original author, who has the tweet as their own). */
  skip?: string;
  /** Followers who also follow this user do not receive it (a repost's original author: they have the original). */
  skipFollowersOf?: string;
}

/** Where an entry goes when it is not a new tweet at its own time: a repost, at the repost's time, only where absent. */
export interface EntryPlacement {
  score: number;
  onlyNew: boolean;
}

export interface FanOutChunkResult {
  /** Followers read. */
  covered: number;
  /** Active followers whose timelines were written. */
  delivered: number;
  /** Those of them with a live listener (heartbeat key): the caller publishes to them. */
  listened: string[];
  /** Where the next chunk starts (null when the chunk was empty). */
  last: Position | null;
  done: boolean;
}

/**
 * Owns the home and author timeline collections and who has one: ordering, cap, idempotent
 * inserts, and activity. A user is active while seen (reading their home timeline, or posting)
 * within the active window (TIMELINE_ACTIVE_DAYS); only active users' home timelines are written,
 * and a timeline expires a window after its owner was last seen. A user never seen before counts
 * as seen at that moment (so a deployment that predates activity keeps its timelines).
 */
export interface TimelineStore {
  /**
   * Adds the tweet to the home timelines of those users who are active, trimming to the cap;
   * resolves with them. Idempotent. With `placement`, at that score and (onlyNew) only where absent.
   */
  addToActiveHomeTimelines(userIds: readonly string[], tweetId: string, placement?: EntryPlacement): Promise<string[]>;
  /**
   * Adds the author's tweet to the author's own home timeline and counts it as activity at the
   * tweet's time (an author back after the window will have their timeline rebuilt). Idempotent.
   */
  addOwnTweet(authorId: string, tweetId: string): Promise<void>;
  /**
   * Reads one chunk of the author's followers and writes the tweet into the timelines of the
   * active ones, all inside Redis in one call: no follower id crosses the network. Atomic per
   * chunk, idempotent. Only on a single Redis server (null on a cluster, where the keys of one
   * call must share a slot: callers then walk the followers and call addToActiveHomeTimelines).
   */
  readonly fanOutChunk: ((request: FanOutChunkRequest) => Promise<FanOutChunkResult>) | null;
  removeFromHomeTimelines(userIds: readonly string[], tweetId: string): Promise<void>;
  /**
   * A page of the user's home timeline, which is a read by them: it keeps them active (refreshed
   * at most every few minutes, in the same call) and tells whether the timeline must be rebuilt.
   * One round trip.
   */
  homePage(userId: string, first: number, after?: Position): Promise<HomePage>;
  /**
   * Rebuilds the user's home timeline from the newest entries of these authors' timelines
   * (bounded: at most the cap overall, read in batches that skip what could not make it), adds
   * them to whatever the timeline holds, and ends the rebuild (clears its lease). Idempotent.
   */
  rebuildHome(userId: string, authorIds: readonly string[]): Promise<number>;
  /** The author's own tweet list (profile page, follow merges). Idempotent. */
  addAuthorTweet(authorId: string, tweetId: string): Promise<void>;
  removeAuthorTweet(authorId: string, tweetId: string): Promise<void>;
  authorPage(authorId: string, first: number, after?: Position): Promise<IdPage>;
  /**
   * Copies the author's most recent tweets into the user's home timeline, trimming to the cap,
   * if the user is active (an inactive user's timeline is rebuilt, with this author, when they
   * return). Idempotent.
   */
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
