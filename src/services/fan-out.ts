import { snowflakeTime } from '../domain/snowflake.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
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
}

/** A slice of followers by follow time, [from, to), null meaning unbounded. */
export interface FollowerSlice {
  from: number | null;
  to: number | null;
}

export type FanOutResult =
  /** Written follower by follower in this call. */
  | { mode: 'direct'; delivered: number; pushed: number; resumed: boolean }
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
 * pipelined chunks. Scans are checkpointed after each chunk, so a crash resumes where it stopped
 * when the message is redelivered. Idempotent: chunks written twice add nothing twice.
 */
export async function fanOutTweet(deps: FanOutDeps, tweet: Tweet, producedAt: number, policy: FanOutPolicy): Promise<FanOutResult> {
  const entry = { tweet, producedAt };
  const checkpoint = await deps.checkpoints.get(tweet.id);
  if (checkpoint?.startsWith(PROMOTION)) {
    await promote(deps, tweet, checkpoint.slice(PROMOTION.length), policy);
    return { mode: 'celebrity', promoted: true, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  if (checkpoint !== null) return fanOutDirect(deps, tweet, producedAt, checkpoint, policy);

  const since = await deps.timelines.celebritySince(tweet.authorId);
  // A tweet from before the promotion that arrives late (a retry) is fanned out like its siblings were.
  if (since !== null && snowflakeTime(tweet.id) >= since) {
    return { mode: 'celebrity', promoted: false, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  const followers = await deps.graph.followerCount(tweet.authorId);
  if (since === null && followers >= policy.celebrityThreshold) {
    await deps.checkpoints.save(tweet.id, `${PROMOTION}0`);
    await promote(deps, tweet, '0', policy);
    return { mode: 'celebrity', promoted: true, pushed: await deliverCelebrityTweet(deps, tweet, producedAt) };
  }
  if (followers > policy.splitAbove) {
    await deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id);
    await deps.live.pushHomeEntry([tweet.authorId], entry);
    const points = await deps.graph.followerSplitPoints(tweet.authorId, policy.chunkSize);
    return { mode: 'split', slices: slicesBetween(points) };
  }
  return fanOutDirect(deps, tweet, producedAt, null, policy);
}

/**
 * Writes one slice of a split fan-out and pushes to its live followers. Idempotent, so a slice
 * redelivered after a crash, or overlapping another, adds nothing twice.
 */
export async function fanOutSlice(
  deps: Pick<FanOutDeps, 'graph' | 'timelines' | 'live'>,
  tweet: Tweet,
  postedAt: number,
  slice: FollowerSlice,
  options: FanOutOptions,
): Promise<{ delivered: number; pushed: number }> {
  const ids = await deps.graph.followersBetween(tweet.authorId, slice.from, slice.to);
  let pushed = 0;
  for (let i = 0; i < ids.length; i += options.chunkSize) {
    const chunk = ids.slice(i, i + options.chunkSize);
    await deps.timelines.addToHomeTimelines(chunk, tweet.id);
    pushed += await deps.live.pushHomeEntry(chunk, { tweet, producedAt: postedAt });
    await options.heartbeat?.();
  }
  return { delivered: ids.length, pushed };
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
  await forEachFollowerChunk(deps.graph, tweet.authorId, '0', options, (ids) => deps.timelines.removeFromHomeTimelines(ids, tweet.id));
}

/** Slices covering every follow time: (-inf, p0), [p0, p1), …, [pn, +inf). */
export function slicesBetween(points: readonly number[]): FollowerSlice[] {
  const bounds = [null, ...points, null];
  return bounds.slice(0, -1).map((from, i) => ({ from, to: bounds[i + 1]! }));
}

async function fanOutDirect(
  deps: FanOutDeps,
  tweet: Tweet,
  producedAt: number,
  from: string | null,
  options: FanOutOptions,
): Promise<FanOutResult> {
  const entry = { tweet, producedAt };
  let delivered = 0;
  let pushed = 0;
  let checkpointed = from !== null;
  if (!from) {
    await deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id);
    pushed += await deps.live.pushHomeEntry([tweet.authorId], entry);
    delivered = 1;
  }
  delivered += await forEachFollowerChunk(
    deps.graph,
    tweet.authorId,
    from ?? '0',
    options,
    async (ids) => {
      await deps.timelines.addToHomeTimelines(ids, tweet.id);
      pushed += await deps.live.pushHomeEntry(ids, entry);
    },
    async (next) => {
      await deps.checkpoints.save(tweet.id, next);
      checkpointed = true;
    },
  );
  if (checkpointed) await deps.checkpoints.clear(tweet.id);
  return { mode: 'direct', delivered, pushed, resumed: from !== null };
}

/**
 * Makes the author a celebrity from this tweet on, then records it in every follower's set of
 * followed celebrities. The mark comes first: a follow that lands after the scan started is
 * handled by the timeline-merge group, which sees the mark; one from before is in the scan.
 */
async function promote(deps: FanOutDeps, tweet: Tweet, from: string, options: FanOutOptions): Promise<void> {
  await deps.timelines.markCelebrity(tweet.authorId, snowflakeTime(tweet.id));
  await forEachFollowerChunk(
    deps.graph,
    tweet.authorId,
    from,
    options,
    async (ids) => {
      await deps.timelines.addFollowedCelebrity(ids, tweet.authorId);
      // Live subscribers among them start listening to the author's channel (the resync reads what they missed).
      await deps.live.pushFollowsChanged(ids);
    },
    (next) => deps.checkpoints.save(tweet.id, `${PROMOTION}${next}`),
  );
  await deps.checkpoints.clear(tweet.id);
}

/**
 * Runs `work` on each chunk of the author's followers from the scan cursor `from`, reading the
 * next chunk while this one is worked on, so Redis is not left waiting on us between chunks. After
 * each chunk but the last, `progress` gets the cursor to resume from and the group is kept alive.
 * Returns how many followers the scan gave.
 */
async function forEachFollowerChunk(
  graph: FollowGraph,
  authorId: string,
  from: string,
  options: FanOutOptions,
  work: (ids: string[]) => Promise<void>,
  progress?: (next: string) => Promise<void>,
): Promise<number> {
  const scan = graph.scanFollowers(authorId, options.chunkSize, from)[Symbol.asyncIterator]();
  let seen = 0;
  let upcoming = scan.next();
  for (;;) {
    const step = await upcoming;
    if (step.done) return seen;
    const chunk = step.value;
    upcoming = scan.next();
    // Marked handled: if this chunk's work fails first, the read's own failure is moot.
    upcoming.catch(() => undefined);
    await work(chunk.ids);
    seen += chunk.ids.length;
    if (chunk.next !== '0') await progress?.(chunk.next);
    await options.heartbeat?.();
  }
}

async function deliverCelebrityTweet(deps: FanOutDeps, tweet: Tweet, producedAt: number): Promise<number> {
  // The author's list is what followers read this tweet from. The tweet-store group writes it too,
  // but on its own schedule: written here, it is there before the push, so a live subscriber's
  // catch-up that reads it too early can count on hearing the push (no gap between the two).
  await Promise.all([deps.timelines.addToHomeTimelines([tweet.authorId], tweet.id), deps.timelines.addAuthorTweet(tweet.authorId, tweet.id)]);
  const entry = { tweet, producedAt };
  const [own, followers] = await Promise.all([
    deps.live.pushHomeEntry([tweet.authorId], entry),
    deps.live.pushAuthorEntry(tweet.authorId, entry),
  ]);
  return own + followers;
}
