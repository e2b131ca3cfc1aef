import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './client.js';
import type { TimelineStore } from '../../domain/timelines/ports.js';
import { snowflakeTime } from '../../domain/snowflake.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';
import { entriesAfter, pageByScoreDesc } from './sorted-page.js';
import { keysBySlot, pipelineAcrossSlots } from './slots.js';

export interface TimelineLimits {
  /** Entries kept per home timeline. */
  homeCap: number;
  /** Entries kept per author timeline; also how far back a follow merge reaches. */
  authorCap: number;
}

/**
 * KEYS: timelines. ARGV: score, tweet id, cap. Adds the tweet to each and trims each to the cap.
 * One call for a whole fan-out chunk: as a pipeline of ZADD + ZREMRANGEBYRANK per follower, the
 * client spent over half its time building those commands and collecting their garbage (profiled:
 * bench/results/hot-path/). ZCARD decides whether to trim: trimming is rarely needed, ZCARD is O(1).
 * On a cluster a call's keys must share a slot, so callers group them (keysBySlot).
 */
const ADD_TO_TIMELINES = defineScript<number>(`
local score, id, cap = ARGV[1], ARGV[2], tonumber(ARGV[3])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], score, id)
  if redis.call('ZCARD', KEYS[i]) > cap then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(cap + 1)) end
end
return #KEYS
`);

/**
 * The only module that touches timeline keys (Mastodon's FeedManager). Invariants:
 * score = tweet time in ms, member = tweet id, so order is newest first and ties break by id;
 * re-adding an id is a no-op (idempotent under redelivery); every write trims to the cap
 * in the same pipeline or script. Fan-out writes many users' keys: one script call per slot on a
 * cluster. Celebrities (hybrid fan-out) are recorded here too: which authors are merged at read
 * time, and which of them each user follows.
 */
export function createTimelineStore(redis: RedisClient, limits: TimelineLimits): TimelineStore {
  const trimTo = (cap: number) => -(cap + 1);
  return {
    async addToHomeTimelines(userIds, tweetId) {
      if (userIds.length === 0) return;
      const args = [snowflakeTime(tweetId), tweetId, limits.homeCap];
      // A script's keys must share a slot: one call on a single server, one per slot on a cluster.
      await Promise.all(keysBySlot(redis, userIds.map(keys.homeTimeline)).map((group) => ADD_TO_TIMELINES(redis, group, args)));
    },
    async removeFromHomeTimelines(userIds, tweetId) {
      if (userIds.length === 0) return;
      await pipelineAcrossSlots(redis, userIds.map(keys.homeTimeline), (pipeline, key) => pipeline.zrem(key, tweetId));
    },
    homePage: (userId, first, after) => pageByScoreDesc(redis, keys.homeTimeline(userId), first, after),
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
      const key = keys.homeTimeline(userId);
      const args: (string | number)[] = [];
      for (let i = 0; i + 1 < recent.length; i += 2) args.push(Number(recent[i + 1]), recent[i]!);
      await execChecked(redis.pipeline().zadd(key, ...args).zremrangebyrank(key, 0, trimTo(limits.homeCap)));
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
 * Queues whole timelines onto a caller's pipeline, for bulk loaders (`npm run seed-data`) that
 * build state the consumers would have built: same keys, score = tweet time, trimmed to `cap` in
 * the same pipeline. Adds, never replaces; the caller executes the pipeline and checks its errors.
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
