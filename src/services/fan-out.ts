import type { Position } from '../domain/cursor.js';
import { snowflakeTime } from '../domain/snowflake.js';
import type { FollowGraph, FollowTimeRange } from '../domain/follows/ports.js';
import type { HomeEntryPush, LivePublisher } from '../domain/live/ports.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { FanOutCheckpoints, TimelineStore } from '../domain/timelines/ports.js';
import type { Tweet } from '../domain/types.js';

export interface FanOutOptions {
  chunkSize: number;
  /** Called between chunks so long fan-outs keep the consumer's group membership alive. */
  heartbeat?: () => Promise<void>;
}

/** Where fan-out stops being one loop: splitting into parallel slices, and not fanning out at all. */
export interface FanOutPolicy extends FanOutOptions {
  /** Authors with at least this many followers are merged at read time instead. */
  celebrityThreshold: number;
  /** Fan-outs to more followers than this are split into slices run in parallel. */
  splitAbove: number;
}

export interface FanOutDeps {
  graph: FollowGraph;
  timelines: TimelineStore;
  live: LivePublisher;
  checkpoints: FanOutCheckpoints;
  /** Followers who muted the author, or are in a block with them, are skipped. */
  relations: Pick<RelationStore, 'excludedAudience'>;
}

/** A slice of followers by follow time, [from, to), null meaning unbounded. */
export type FollowerSlice = FollowTimeRange;

const EVERYONE: FollowerSlice = { from: null, to: null };

export type FanOutResult =
  /** Written chunk by chunk in this call: `covered` followers read, `delivered` of them active (and the author). */
  | { mode: 'direct'; covered: number; delivered: number; pushed: number; resumed: boolean }
  /** Only the author's own timeline was written; the slices are for the `fanout-slices` group. */
  | { mode: 'split'; slices: FollowerSlice[] }
  /** Not fanned out: followers merge the author's timeline when they read. */
  | { mode: 'celebrity'; promoted: boolean; pushed: number };

/** Checkpoints of a promotion scan carry this prefix; plain ones belong to a direct fan-out. */
const PROMOTION = 'promote:';

/**
 * Delivers a new tweet (hybrid fan-out). An author at or above the celebrity threshold is not
 * fanned out: the tweet goes into the author's own home timeline and to the author's live
 * channel, and followers merge it in when they read. The first such tweet promotes the author:
 * every follower records that they follow a celebrity. Below the threshold, a large audience is
 * split into slices (returned, to be run in parallel elsewhere); a small one is written here in
 * chunks, only into active followers' timelines. Walks are checkpointed after each chunk (the
 * position of its last follower: see FollowerChunk for what that guarantees under concurrent
 * follows), so a crash resumes where it stopped when the message is redelivered. Idempotent:
 * chunks written twice add nothing twice.
 */
export async function fanOutTweet(deps: FanOutDeps, tweet: Tweet, producedAt: number, policy: FanOutPolicy): Promise<FanOutResult> {
  const entry = { tweet, producedAt };
  // Independent reads, issued together: one round trip instead of three in a row (a fan-out is a
  // chain of round trips, and the group's throughput is one over that chain's length).
  const [checkpoint, since, followers] = await Promise.all([
    deps.checkpoints.get(tweet.id),
    deps.timelines.celebritySince(tweet.authorId),
    deps.graph.followerCount(tweet.authorId),
  ]);
  if (checkpoint?.startsWith(PROMOTION)) {
    await promote(deps, tweet, parsePosition(checkpoint.slice(PROMOTION.length)), policy);
    return { mode: 'celebrity', promoted: true, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  if (checkpoint !== null) return fanOutDirect(deps, entry, parsePosition(checkpoint), true, policy);

  // A tweet from before the promotion that arrives late (a retry) is fanned out like its siblings were.
  if (since !== null && snowflakeTime(tweet.id) >= since) {
    return { mode: 'celebrity', promoted: false, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  if (since === null && followers >= policy.celebrityThreshold) {
    await deps.checkpoints.save(tweet.id, PROMOTION);
    await promote(deps, tweet, null, policy);
    return { mode: 'celebrity', promoted: true, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  if (followers > policy.splitAbove) {
    const [, points] = await Promise.all([
      deps.timelines.addOwnTweet(tweet.authorId, tweet.id),
      deps.graph.followerSplitPoints(tweet.authorId, policy.chunkSize),
    ]);
    // After the write it announces (store before publish).
    await deps.live.pushHomeEntry([tweet.authorId], entry);
    return { mode: 'split', slices: slicesBetween(points) };
  }
  return fanOutDirect(deps, entry, null, false, policy);
}

/**
 * Writes one slice of a split fan-out into its active followers' timelines and pushes to their
 * live ones. Idempotent, so a slice redelivered after a crash, or overlapping another, adds
 * nothing twice.
 */
export async function fanOutSlice(
  deps: Pick<FanOutDeps, 'graph' | 'timelines' | 'live' | 'relations'>,
  tweet: Tweet,
  postedAt: number,
  slice: FollowerSlice,
  options: FanOutOptions,
  /** For a slice of a repost's fan-out: who reposted, and when. */
  repost?: { reposterId: string; repostedAt: number },
): Promise<{ covered: number; delivered: number; pushed: number }> {
  const total = { covered: 0, delivered: 0, pushed: 0 };
  const delivery = repost ? repostDelivery({ ...repost, tweet }, postedAt) : tweetDelivery({ tweet, producedAt: postedAt });
  await forEachChunk((after) => writeChunk(deps, delivery, slice, after, options.chunkSize), null, options, async (chunk) => {
    total.covered += chunk.covered;
    total.delivered += chunk.delivered;
    total.pushed += await chunk.push();
  });
  return total;
}

/** Removes a deleted tweet from the author's and every follower's home timeline. Idempotent. */
export async function retractTweet(
  deps: Pick<FanOutDeps, 'graph' | 'timelines'>,
  tweet: { id: string; authorId: string },
  options: FanOutOptions,
): Promise<void> {
  await deps.timelines.removeFromHomeTimelines([tweet.authorId], tweet.id);
  const since = await deps.timelines.celebritySince(tweet.authorId);
  if (since !== null && snowflakeTime(tweet.id) >= since) {
    // Never fanned out: followers read it from the author's timeline. The tweet-store group cleans
    // that too, but this group also wrote it (deliverCelebrityTweet), possibly after that cleaning.
    await deps.timelines.removeAuthorTweet(tweet.authorId, tweet.id);
    return;
  }
  await forEachChunk(
    (after) => deps.graph.followersAfter(tweet.authorId, after, options.chunkSize),
    null,
    options,
    (chunk) => deps.timelines.removeFromHomeTimelines(chunk.ids, tweet.id),
  );
}

/** Slices covering every follow time: (-inf, p0), [p0, p1), …, [pn, +inf). */
export function slicesBetween(points: readonly number[]): FollowerSlice[] {
  const bounds = [null, ...points, null];
  return bounds.slice(0, -1).map((from, i) => ({ from, to: bounds[i + 1]! }));
}

/** A checkpoint's text for a walk position: `score:member`; empty for the start. */
export function encodePosition(position: Position | null): string {
  return position ? `${position.score}:${position.member}` : '';
}

/**
 * The position in a checkpoint; null (start over) for the start and for anything else, such as a
 * ZSCAN cursor saved by an earlier version: starting over is safe, since writes are idempotent.
 */
export function parsePosition(text: string): Position | null {
  const match = /^(\d{1,16}):([0-9]{1,20})$/.exec(text);
  if (!match) return null;
  const score = Number(match[1]);
  return Number.isSafeInteger(score) ? { score, member: match[2]! } : null;
}

async function fanOutDirect(
  deps: FanOutDeps,
  entry: HomeEntryPush,
  from: Position | null,
  resumed: boolean,
  options: FanOutOptions,
): Promise<FanOutResult> {
  const { tweet } = entry;
  let covered = 0;
  let delivered = 0;
  let pushed = 0;
  let checkpointed = resumed;
  // The author's own timeline is written (then announced: store before publish) while the first
  // chunk is under way, not before it: one round trip less in every fan-out's chain. A crash in
  // between repeats both, which adds nothing twice.
  const own = resumed ? Promise.resolve(0) : deps.timelines.addOwnTweet(tweet.authorId, tweet.id).then(() => deps.live.pushHomeEntry([tweet.authorId], entry));
  // Marked handled: if the chunks fail first, this failure is moot (awaited below otherwise).
  own.catch(() => undefined);
  if (!resumed) delivered = 1;
  await forEachChunk(
    (after) => writeChunk(deps, tweetDelivery(entry), EVERYONE, after, options.chunkSize),
    from,
    options,
    async (chunk) => {
      covered += chunk.covered;
      delivered += chunk.delivered;
      pushed += await chunk.push();
    },
    async (last) => {
      await deps.checkpoints.save(tweet.id, encodePosition(last));
      checkpointed = true;
    },
  );
  pushed += await own;
  if (checkpointed) await deps.checkpoints.clear(tweet.id);
  return { mode: 'direct', covered, delivered, pushed, resumed };
}

interface WrittenChunk {
  covered: number;
  delivered: number;
  last: Position | null;
  done: boolean;
  /** Publishes to the chunk's live listeners; resolves with how many. */
  push(): Promise<number>;
}

/**
 * Writes the tweet into the timelines of the active followers of one chunk. On a single Redis one
 * call does it all inside Redis (reading the followers, writing, and finding the live listeners),
 * and only the listened ids come back; on a cluster the followers are read, then written per slot.
 */
/** A repost to deliver: the original tweet, who reposted it and when (unix ms). */
export interface RepostEntry {
  reposterId: string;
  tweet: Tweet;
  repostedAt: number;
}

/**
 * Whose followers receive an entry and how: a tweet reaches its author's followers at the tweet's
 * time; a repost reaches the reposter's at the repost's time, only where the tweet is not already
 * (ZADD NX), never the original author nor their followers (who have the original, or merge a
 * celebrity's at read time: a repost entry would show it a second time, at another position), and
 * not those who muted or are in a block with either.
 */
interface Delivery {
  entry: HomeEntryPush;
  /** Whose follower set is walked. */
  sender: string;
  /** Users whose muters and block partners are skipped (relations older than `at`). */
  excludeAudienceOf: string[];
  /** The entry's time (its score, and what relations are compared with). */
  at: number;
  alsoFollowing?: string;
  repost?: { skip: string };
}

function tweetDelivery(entry: HomeEntryPush): Delivery {
  const authorId = entry.tweet.authorId;
  // A reply to someone else reaches those who follow both (and the one replied to): Twitter's rule.
  const repliedTo = entry.tweet.replyTo && entry.tweet.replyTo.authorId !== authorId ? entry.tweet.replyTo.authorId : undefined;
  return { entry, sender: authorId, excludeAudienceOf: [authorId], at: snowflakeTime(entry.tweet.id), ...(repliedTo ? { alsoFollowing: repliedTo } : {}) };
}

function repostDelivery(repost: RepostEntry, producedAt: number): Delivery {
  const { reposterId, tweet, repostedAt } = repost;
  return {
    entry: { tweet, producedAt },
    sender: reposterId,
    excludeAudienceOf: [...new Set([reposterId, tweet.authorId])],
    at: repostedAt,
    repost: { skip: tweet.authorId },
  };
}

async function writeChunk(
  deps: Pick<FanOutDeps, 'graph' | 'timelines' | 'live' | 'relations'>,
  delivery: Delivery,
  range: FollowerSlice,
  after: Position | null,
  limit: number,
): Promise<WrittenChunk> {
  const { entry, sender, excludeAudienceOf, alsoFollowing, repost } = delivery;
  // Reposts are not pushed live: a live stream places pushes at the tweet's own time (see README).
  const live = repost === undefined;
  if (deps.timelines.fanOutChunk) {
    const written = await deps.timelines.fanOutChunk({
      authorId: sender,
      entry,
      range,
      after,
      limit,
      excludeAudienceOf,
      alsoFollowing,
      ...(repost ? { score: delivery.at, onlyNew: true, skip: repost.skip, skipFollowersOf: repost.skip } : {}),
    });
    const push = async () => {
      if (!live || written.listened.length === 0) return 0;
      await deps.live.publishHomeEntry(written.listened, entry);
      return written.listened.length;
    };
    return { ...written, push };
  }
  const chunk = await deps.graph.followersAfter(sender, after, limit, range);
  // The fan-out script checks this inside Redis; on a cluster the relation sets are elsewhere.
  const [following, hasOriginal, ...excluded] = await Promise.all([
    alsoFollowing ? deps.graph.followedBy(alsoFollowing, chunk.ids) : chunk.ids.map(() => true),
    repost ? deps.graph.followedBy(repost.skip, chunk.ids) : chunk.ids.map(() => false),
    ...excludeAudienceOf.map((id) => deps.relations.excludedAudience(id, chunk.ids, delivery.at)),
  ]);
  const audience = chunk.ids.filter(
    (id, i) => id !== repost?.skip && !hasOriginal[i] && !excluded.some((e) => e[i]) && (following[i] || id === alsoFollowing),
  );
  const placement = repost ? { score: delivery.at, onlyNew: true } : undefined;
  const active = await deps.timelines.addToActiveHomeTimelines(audience, entry.tweet.id, placement);
  return {
    covered: chunk.ids.length,
    delivered: active.length,
    last: chunk.last,
    done: chunk.done,
    push: () => (live ? deps.live.pushHomeEntry(active, entry) : Promise.resolve(0)),
  };
}

/** The checkpoint walk of a repost's fan-out: apart from the original's and from other reposters'. */
export function repostWalk(reposterId: string, tweetId: string): string {
  return `repost:${reposterId}:${tweetId}`;
}

export type RepostFanOutResult =
  | { mode: 'direct'; covered: number; delivered: number; resumed: boolean }
  /** Nothing written here: the slices of the reposter's followers are for the `fanout-slices` group. */
  | { mode: 'split'; slices: FollowerSlice[] }
  /** The reposter is a celebrity (or has as many followers): reposts of theirs are not fanned out. */
  | { mode: 'celebrity' };

/**
 * Delivers a repost to the reposter's active followers' home timelines (the original tweet's id at
 * the repost's time, only where it is not there yet, so an original or an earlier repost is never
 * moved or repeated), skipping the original author, the author's followers (they have it as an
 * original) and followers who muted, or are in a block with, the reposter or the author. As for
 * tweets: a small audience is walked in chunks in this call, checkpointed under repostWalk; a
 * large one is cut into slices (returned, to be run in parallel elsewhere); a reposter at or above
 * the celebrity threshold is not fanned out. Nothing is pushed live. Idempotent.
 */
export async function fanOutRepost(deps: FanOutDeps, repost: RepostEntry, producedAt: number, policy: FanOutPolicy): Promise<RepostFanOutResult> {
  const walk = repostWalk(repost.reposterId, repost.tweet.id);
  // Issued together, as for a tweet: one round trip, not two in a row.
  const [checkpoint, since, followers] = await Promise.all([
    deps.checkpoints.get(walk),
    deps.timelines.celebritySince(repost.reposterId),
    deps.graph.followerCount(repost.reposterId),
  ]);
  if (checkpoint === null) {
    if (since !== null || followers >= policy.celebrityThreshold) return { mode: 'celebrity' };
    if (followers > policy.splitAbove) return { mode: 'split', slices: slicesBetween(await deps.graph.followerSplitPoints(repost.reposterId, policy.chunkSize)) };
  }
  const delivery = repostDelivery(repost, producedAt);
  let covered = 0;
  let delivered = 0;
  let checkpointed = checkpoint !== null;
  await forEachChunk(
    (after) => writeChunk(deps, delivery, EVERYONE, after, policy.chunkSize),
    checkpoint === null ? null : parsePosition(checkpoint),
    policy,
    async (chunk) => {
      covered += chunk.covered;
      delivered += chunk.delivered;
    },
    async (last) => {
      await deps.checkpoints.save(walk, encodePosition(last));
      checkpointed = true;
    },
  );
  if (checkpointed) await deps.checkpoints.clear(walk);
  return { mode: 'direct', covered, delivered, resumed: checkpoint !== null };
}

/**
 * Makes the author a celebrity from this tweet on, then records it in every follower's set of
 * followed celebrities. The mark comes first: a follow that lands after the walk started is
 * handled by the timeline-merge group, which sees the mark; one from before is in the walk.
 */
async function promote(deps: FanOutDeps, tweet: Tweet, from: Position | null, options: FanOutOptions): Promise<void> {
  await deps.timelines.markCelebrity(tweet.authorId, snowflakeTime(tweet.id));
  await forEachChunk(
    (after) => deps.graph.followersAfter(tweet.authorId, after, options.chunkSize),
    from,
    options,
    async (chunk) => {
      await deps.timelines.addFollowedCelebrity(chunk.ids, tweet.authorId);
      // Live subscribers among them start listening to the author's channel (the resync reads what they missed).
      await deps.live.pushFollowsChanged(chunk.ids);
    },
    (last) => deps.checkpoints.save(tweet.id, `${PROMOTION}${encodePosition(last)}`),
  );
  await deps.checkpoints.clear(tweet.id);
}

/**
 * Walks chunks from position `from`: `read` gets the chunk after a position, `work` finishes it.
 * The next chunk is read while this one is worked on, so Redis is not left waiting on us between
 * chunks. After each chunk but the last, `progress` gets the position to resume from (saved
 * while the next chunk is already under way) and the group is kept alive.
 */
async function forEachChunk<C extends { last: Position | null; done: boolean }>(
  read: (after: Position | null) => Promise<C>,
  from: Position | null,
  options: FanOutOptions,
  work: (chunk: C) => Promise<void>,
  progress?: (last: Position) => Promise<void>,
): Promise<void> {
  let upcoming = read(from);
  let saving: Promise<void> | undefined;
  for (;;) {
    const chunk = await upcoming;
    const next = chunk.done ? null : chunk.last;
    if (next) {
      upcoming = read(next);
      // Marked handled: if this chunk's work fails first, the read's own failure is moot.
      upcoming.catch(() => undefined);
    }
    await work(chunk);
    await saving;
    if (!next) return;
    saving = progress?.(next);
    saving?.catch(() => undefined);
    await options.heartbeat?.();
  }
}

async function deliverCelebrityTweet(deps: FanOutDeps, tweet: Tweet, producedAt: number): Promise<number> {
  // The author's list is what followers read this tweet from. The tweet-store group writes it too,
  // but on its own schedule: written here, it is there before the push, so a live subscriber's
  // catch-up that reads it too early can count on hearing the push (no gap between the two).
  await Promise.all([deps.timelines.addOwnTweet(tweet.authorId, tweet.id), deps.timelines.addAuthorTweet(tweet.authorId, tweet.id)]);
  const entry = { tweet, producedAt };
  const [own, followers] = await Promise.all([
    deps.live.pushHomeEntry([tweet.authorId], entry),
    deps.live.pushAuthorEntry(tweet.authorId, entry),
  ]);
  return own + followers;
}
