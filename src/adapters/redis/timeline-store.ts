import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './client.js';
import type { Position } from '../../domain/cursor.js';
import type { FanOutChunkResult, HomeRebuildState, TimelineStore } from '../../domain/timelines/ports.js';
import { snowflakeTime } from '../../domain/snowflake.js';
import { positionArgs, scoreBound } from './follower-walk.js';
import { keys, keyTemplate } from './keys.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';
import { entriesAfter, pageByScoreDesc } from './sorted-page.js';
import { indexesBySlot, isCluster, pipelineAcrossSlots } from './slots.js';
import {
  ADD_OWN_TWEET,
  DELIVER_TO_FOLLOWERS,
  FAN_OUT_CHUNK,
  FINISH_HOME_REBUILD,
  MERGE_INTO_HOME,
  READ_HOME_PAGE,
} from './timeline-scripts.js';

export interface TimelineLimits {
  /** Entries kept per home timeline. */
  homeCap: number;
  /** Entries kept per author timeline; also how far back a follow merge reaches. */
  authorCap: number;
  /** How long a user stays active after being seen (TIMELINE_ACTIVE_DAYS), ms. */
  activeWindowMs: number;
}

export interface TimelineStoreOptions {
  /** Unix ms now; activity is judged by it (tests move it forward). Default Date.now. */
  clock?: () => number;
}

/**
 * A reader's last-seen record is rewritten at most this often, so activity costs no write on most
 * reads: being seen a few minutes late moves a 7-day window by nothing that matters.
 */
export const SEEN_REFRESH_MS = 5 * 60 * 1000;
/** How long one rebuild may take before another reader may start it again. */
export const REBUILD_LEASE_MS = 30_000;
/** Authors read per round trip when a home timeline is rebuilt. */
const REBUILD_BATCH = 100;

const deliverToFollowers = defineScript<number[]>(DELIVER_TO_FOLLOWERS);
const fanOutChunkScript = defineScript<(string | number)[]>(FAN_OUT_CHUNK);
const addOwnTweet = defineScript<number>(ADD_OWN_TWEET);
const readHomePage = defineScript<(string | number)[]>(READ_HOME_PAGE);
const finishHomeRebuild = defineScript<number>(FINISH_HOME_REBUILD);
const mergeIntoHome = defineScript<number>(MERGE_INTO_HOME);

const HOME = keyTemplate(keys.homeTimeline);
const SEEN = keyTemplate(keys.lastSeen);
const LISTENING = keyTemplate((id) => keys.listening(keys.homeChannel(id)));
const REBUILD_STATES: readonly HomeRebuildState[] = ['none', 'running', 'start'];

/**
 * The only module that touches timeline keys (Mastodon's FeedManager). Invariants:
 * score = tweet time in ms, member = tweet id, so order is newest first and ties break by id;
 * re-adding an id is a no-op (idempotent under redelivery); every write trims to the cap
 * in the same pipeline or script. Home timelines exist only for active users and expire a window
 * after their owner was last seen (timeline-scripts.ts says how). Fan-out: on a single Redis one
 * script call per chunk walks the follower set and writes the timelines inside Redis
 * (fanOutChunk, which also reads the followers' heartbeat keys); on a cluster, one script call per
 * slot of the chunk's followers. Celebrities (hybrid fan-out) are recorded here too.
 */
export function createTimelineStore(redis: RedisClient, limits: TimelineLimits, options: TimelineStoreOptions = {}): TimelineStore {
  const clock = options.clock ?? Date.now;
  const trimTo = (cap: number) => -(cap + 1);
  const window = limits.activeWindowMs;
  const homeKeys = (userId: string) => [keys.homeTimeline(userId), keys.lastSeen(userId), keys.homeRebuild(userId)];

  async function fanOutChunk(request: Parameters<NonNullable<TimelineStore['fanOutChunk']>>[0]): Promise<FanOutChunkResult> {
    const { entry, range, after, limit } = request;
    // Who must not receive it: those who muted these users or are in a block with them (RelationStore's reverse sets).
    const excluding = (request.excludeAudienceOf ?? []).flatMap((id) => [keys.mutedBy(id), keys.blocks(id), keys.blockedBy(id)]);
    const reply = await fanOutChunkScript(redis, [keys.followers(request.authorId), ...excluding], [
      entry.tweet.id, request.score ?? snowflakeTime(entry.tweet.id), limits.homeCap,
      scoreBound(range.from, '-inf'), scoreBound(range.to, '+inf'), ...positionArgs(after), limit,
      clock(), window, HOME.prefix, HOME.suffix, SEEN.prefix, SEEN.suffix, LISTENING.prefix, LISTENING.suffix,
      request.alsoFollowing ? keys.followers(request.alsoFollowing) : '', request.alsoFollowing ?? '',
      request.onlyNew ? '1' : '', request.skip ?? '', request.skipFollowersOf ? keys.followers(request.skipFollowersOf) : '',
    ]);
    const [covered, delivered, lastScore, lastMember, done, ...listened] = reply;
    const last: Position | null = lastMember === '' ? null : { score: Number(lastScore), member: String(lastMember) };
    return { covered: Number(covered), delivered: Number(delivered), listened: listened.map(String), last, done: Number(done) === 1 };
  }

  return {
    async addToActiveHomeTimelines(userIds, tweetId, placement) {
      if (userIds.length === 0) return [];
      const args = [placement?.score ?? snowflakeTime(tweetId), tweetId, limits.homeCap, clock(), window, placement?.onlyNew ? '1' : ''];
      // A script's keys must share a slot: one call on a single server, one per slot on a cluster.
      // A user's timeline and last-seen record share one (keys.lastSeen is hash-tagged).
      const groups = isCluster(redis) ? indexesBySlot(userIds.map(keys.homeTimeline)).map((g) => g.map((i) => userIds[i]!)) : [[...userIds]];
      const written = await Promise.all(
        groups.map(async (group) => {
          const pairs = group.flatMap((id) => [keys.homeTimeline(id), keys.lastSeen(id)]);
          const numbers = await deliverToFollowers(redis, pairs, args);
          return numbers.map((n) => group[n - 1]!);
        }),
      );
      return written.flat();
    },
    async addOwnTweet(authorId, tweetId) {
      await addOwnTweet(redis, [keys.homeTimeline(authorId), keys.lastSeen(authorId)], [snowflakeTime(tweetId), tweetId, limits.homeCap, window]);
    },
    fanOutChunk: isCluster(redis) ? null : fanOutChunk,
    async removeFromHomeTimelines(userIds, tweetId) {
      if (userIds.length === 0) return;
      await pipelineAcrossSlots(redis, userIds.map(keys.homeTimeline), (pipeline, key) => pipeline.zrem(key, tweetId));
    },
    async homePage(userId, first, after) {
      const limit = first + 1 + (after ? 8 : 0);
      const [state, ...raw] = await readHomePage(redis, homeKeys(userId), [
        clock(), window, SEEN_REFRESH_MS, REBUILD_LEASE_MS, after ? after.score : '+inf', '-inf', limit,
      ]);
      const rebuild = REBUILD_STATES[Number(state)] ?? 'none';
      const page = pageFromReply(raw.map(String), first, limit, after);
      // A burst of equal scores filled the read: widen it with plain reads (rare).
      return { ...(page ?? (await pageByScoreDesc(redis, keys.homeTimeline(userId), first, after))), rebuild };
    },
    async rebuildHome(userId, authorIds) {
      const cap = limits.homeCap;
      let best: { score: number; id: string }[] = [];
      for (let start = 0; start < authorIds.length; start += REBUILD_BATCH) {
        // Once `cap` entries are in hand, only newer ones can still make it (Mastodon's populate-home
        // skips such authors the same way): each batch reads at most `cap` entries per author above that.
        const floor = best.length >= cap ? `(${best[cap - 1]!.score}` : '-inf';
        const pipeline = redis.pipeline();
        for (const author of authorIds.slice(start, start + REBUILD_BATCH)) {
          pipeline.zrange(keys.authorTimeline(author), '+inf', floor, 'BYSCORE', 'REV', 'LIMIT', 0, cap, 'WITHSCORES');
        }
        for (const reply of await execChecked(pipeline)) {
          const flat = reply as string[];
          for (let i = 0; i + 1 < flat.length; i += 2) best.push({ id: flat[i]!, score: Number(flat[i + 1]) });
        }
        best.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
        best = dedupe(best).slice(0, cap);
      }
      const args: (string | number)[] = [cap, window, clock()];
      for (const e of best) args.push(e.score, e.id);
      await finishHomeRebuild(redis, homeKeys(userId), args);
      return best.length;
    },
    async addAuthorTweet(authorId, tweetId) {
      const key = keys.authorTimeline(authorId);
      await execChecked(redis.pipeline().zadd(key, snowflakeTime(tweetId), tweetId).zremrangebyrank(key, 0, trimTo(limits.authorCap)));
    },
    async removeAuthorTweet(authorId, tweetId) {
      await redis.zrem(keys.authorTimeline(authorId), tweetId);
    },
    authorPage: (authorId, first, after) => pageByScoreDesc(redis, keys.authorTimeline(authorId), first, after),
    async mergeAuthorIntoHome(userId, authorId) {
      // Only as many as the home timeline can hold: older ones would be trimmed at once.
      const recent = await redis.zrange(keys.authorTimeline(authorId), 0, limits.homeCap - 1, 'REV', 'WITHSCORES');
      if (recent.length === 0) return;
      const args: (string | number)[] = [limits.homeCap, clock(), window];
      for (let i = 0; i + 1 < recent.length; i += 2) args.push(Number(recent[i + 1]), recent[i]!);
      await mergeIntoHome(redis, [keys.homeTimeline(userId), keys.lastSeen(userId)], args);
    },
    async unmergeAuthorFromHome(userId, authorId) {
      const ids = await redis.zrange(keys.authorTimeline(authorId), 0, -1);
      if (ids.length === 0) return;
      await redis.zrem(keys.homeTimeline(userId), ...ids);
    },
    async celebritySince(authorId) {
      const since = await redis.get(keys.celebrity(authorId));
      return since === null ? null : Number(since);
    },
    async markCelebrity(authorId, since) {
      const key = keys.celebrity(authorId);
      // GET with SET NX: a concurrent or repeated promotion keeps the first time.
      const previous = await redis.set(key, String(since), 'NX', 'GET');
      return previous === null ? since : Number(previous);
    },
    async addFollowedCelebrity(userIds, authorId) {
      await pipelineAcrossSlots(redis, userIds.map(keys.followedCelebrities), (pipeline, key) => pipeline.sadd(key, authorId));
    },
    async removeFollowedCelebrity(userId, authorId) {
      await redis.srem(keys.followedCelebrities(userId), authorId);
    },
    followedCelebrities: (userId) => redis.smembers(keys.followedCelebrities(userId)),

    // Live catch-ups (reads only): what a resuming subscriber missed, oldest first.
    homeEntriesAfter: (userId, after, limit) => entriesAfter(redis, keys.homeTimeline(userId), after, limit),
    authorEntriesAfter: (authorId, after, limit) => entriesAfter(redis, keys.authorTimeline(authorId), after, limit),
  };
}

/**
 * The page in a ZRANGE … REV WITHSCORES reply read from the cursor's score inclusive (`limit`
 * entries asked), without the entries at that score the client already saw; null when a burst of
 * equal scores used up the read and it must be widened.
 */
function pageFromReply(raw: readonly string[], first: number, limit: number, after?: Position) {
  const ids: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const member = raw[i]!;
    const score = Number(raw[i + 1]);
    if (after && score === after.score && member >= after.member) continue;
    ids.push(member);
    scores.push(score);
  }
  if (ids.length <= first && raw.length / 2 >= limit) return null;
  return { ids: ids.slice(0, first), scores: scores.slice(0, first), hasNextPage: ids.length > first };
}

/** Sorted entries without repeated ids (an author timeline read twice, a followee listed twice). */
function dedupe(sorted: { score: number; id: string }[]) {
  const seen = new Set<string>();
  return sorted.filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
}

/**
 * Queues whole timelines onto a caller's pipeline, for bulk loaders (`npm run seed-data`) that
 * build state the consumers would have built: same keys, score = tweet time, trimmed to `cap` in
 * the same pipeline. A home timeline also needs its owner's activity (queueLastSeen). Adds, never
 * replaces; the caller executes the pipeline and checks its errors.
 */
export function queueTimelineEntries(
  pipeline: ChainableCommander,
  timeline: { kind: 'home' | 'author'; userId: string },
  tweetIds: readonly string[],
  cap: number,
): void {
  if (tweetIds.length === 0) return;
  const key = timeline.kind === 'home' ? keys.homeTimeline(timeline.userId) : keys.authorTimeline(timeline.userId);
  const args: (string | number)[] = [];
  for (const id of tweetIds) args.push(snowflakeTime(id), id);
  pipeline.zadd(key, ...args).zremrangebyrank(key, 0, -(cap + 1));
}

/**
 * Queues a user's last-seen time onto a caller's pipeline (bulk loaders), and, as every writer of
 * a home timeline must, the timeline's expiry a window later: queue it after the user's entries.
 * A user seen longer ago than the window is inactive, and their timeline is gone.
 */
export function queueLastSeen(pipeline: ChainableCommander, userId: string, seenAt: number, activeWindowMs: number): void {
  pipeline.set(keys.lastSeen(userId), seenAt).pexpireat(keys.homeTimeline(userId), seenAt + activeWindowMs);
}
