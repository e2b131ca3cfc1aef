import { snowflakeTime } from '../snowflake.js';
import type { Tweet } from '../types.js';
import type { Repost } from './ports.js';

/** How many of a tweet's earliest reposters a home page looks at to name one the reader follows. */
export const REPOSTERS_READ = 50;

/**
 * Whether a home timeline entry is there through reposts: every other way in (fan-out, follow
 * merges, rebuilds, celebrity merges) places a tweet at its own time, and a later one of those
 * moves a repost's entry there, while a repost's fan-out places it at the repost's time, later
 * than the tweet, and only where it is absent. So only these entries need their reposters read.
 */
export function placedByRepost(tweetId: string, score: number): boolean {
  return score !== snowflakeTime(tweetId);
}

/** The reposts read for each entry of a page: null for an entry at its tweet's own time (not a repost). */
export type EntryReposts = readonly (readonly Repost[] | null)[];

/** What a home page makes of its entries' reposts. */
export interface RepostAttribution {
  /**
   * Entries that can only have reached the reader through a repost (the reader neither wrote nor
   * follows the tweet's author) and that no followee the reader may see reposts any more: an
   * unrepost, an unfollow, a mute or block since. Left out of the page.
   */
  retracted: ReadonlySet<string>;
  /** Tweet id → the followee who reposted it first, for the entries shown as reposts. */
  repostedBy: ReadonlyMap<string, string>;
}

type Entry = Tweet | null | Error;
const isTweet = (t: Entry): t is Tweet => t !== null && !(t instanceof Error);

/**
 * The users whose follow by `viewerId` decides how the entries placed by reposts show: their
 * authors other than the reader, and the reposters read for them (deduplicated). Empty when the
 * page holds no such entry (no command is then needed).
 */
export function followChecksFor(viewerId: string, tweets: readonly Entry[], reposts: EntryReposts): string[] {
  const ids = new Set<string>();
  tweets.forEach((tweet, i) => {
    if (!isTweet(tweet) || tweet.authorId === viewerId || !reposts[i]) return;
    ids.add(tweet.authorId);
    for (const r of reposts[i] ?? []) if (r.reposterId !== viewerId) ids.add(r.reposterId);
  });
  return [...ids];
}

/**
 * Which entries placed by reposts (non-null `reposts`) show as reposts, by whom, and which are
 * retracted; entries at their tweet's own time are originals and left alone. An entry by the reader or by
 * someone the reader follows is an original (an entry is shown once, and a followed author's
 * own tweet wins over any repost of it; a reply entering by Twitter's follow-both rule has a
 * followed author, so it is one too). Any other entry names the earliest reposter (`reposts` per
 * entry, oldest first) whom the reader follows and does not hide; with none, it is retracted.
 * Entries that are missing (null or an error) are left alone: the page drops them anyway.
 */
export function attributeReposts(input: {
  viewerId: string;
  tweets: readonly Entry[];
  reposts: EntryReposts;
  followed: ReadonlySet<string>;
  hidden: ReadonlySet<string>;
}): RepostAttribution {
  const { viewerId, followed, hidden } = input;
  const retracted = new Set<string>();
  const repostedBy = new Map<string, string>();
  input.tweets.forEach((tweet, i) => {
    const reposts = input.reposts[i];
    if (!reposts || !isTweet(tweet) || tweet.authorId === viewerId || followed.has(tweet.authorId)) return;
    const first = reposts.find((r) => r.reposterId !== viewerId && followed.has(r.reposterId) && !hidden.has(r.reposterId));
    if (first) repostedBy.set(tweet.id, first.reposterId);
    else retracted.add(tweet.id);
  });
  return { retracted, repostedBy };
}
