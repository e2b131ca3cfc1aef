import type { RedisClient } from './client.js';
import type { TimelineStore } from '../../domain/ports.js';
import { snowflakeTime } from '../../domain/snowflake.js';
import { keys } from './keys.js';
import { execOrThrow } from './pipeline.js';
import { pageByScoreDesc } from './sorted-page.js';
import { pipelineAcrossSlots } from './slots.js';

export interface TimelineLimits {
  /** Entries kept per home timeline. */
  homeCap: number;
  /** Entries kept per author timeline; also how far back a follow merge reaches. */
  authorCap: number;
}

/**
 * The only module that touches timeline keys (Mastodon's FeedManager). Invariants:
 * score = tweet time in ms, member = tweet id, so order is newest first and ties break by id;
 * re-adding an id is a no-op (idempotent under redelivery); every write trims to the cap
 * in the same pipeline. Fan-out writes many users' keys: one pipeline per slot on a cluster.
 * Celebrities (hybrid fan-out) are recorded here too: which authors are merged at read time, and
 * which of them each user follows.
 */
export function createTimelineStore(redis: RedisClient, limits: TimelineLimits): TimelineStore {
  const trimTo = (cap: number) => -(cap + 1);
  return {
    async addToHomeTimelines(userIds, tweetId) {
      if (userIds.length === 0) return;
      const score = snowflakeTime(tweetId);
      await pipelineAcrossSlots(redis, userIds.map(keys.homeTimeline), (pipeline, key) => {
        pipeline.zadd(key, score, tweetId).zremrangebyrank(key, 0, trimTo(limits.homeCap));
      });
    },
    async removeFromHomeTimelines(userIds, tweetId) {
      if (userIds.length === 0) return;
      await pipelineAcrossSlots(redis, userIds.map(keys.homeTimeline), (pipeline, key) => pipeline.zrem(key, tweetId));
    },
    homePage: (userId, first, after) => pageByScoreDesc(redis, keys.homeTimeline(userId), first, after),
    async addAuthorTweet(authorId, tweetId) {
      const key = keys.authorTimeline(authorId);
      await execOrThrow(redis.pipeline().zadd(key, snowflakeTime(tweetId), tweetId).zremrangebyrank(key, 0, trimTo(limits.authorCap)));
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
      await execOrThrow(redis.pipeline().zadd(key, ...args).zremrangebyrank(key, 0, trimTo(limits.homeCap)));
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
  };
}
