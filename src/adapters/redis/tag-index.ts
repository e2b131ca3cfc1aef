import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';
import type { TagCache, TagIndex } from '../../domain/tags/ports.js';
import { snowflakeTime } from '../../domain/snowflake.js';
import { keys } from './keys.js';
import { pipelineAcrossSlots } from './slots.js';

/** Per-tag sorted sets (score = tweet time), trimmed to `cap` on every write; one pipeline per slot on a cluster. */
export function createTagIndex(redis: RedisClient, cap: number): TagIndex {
  return {
    async add(tweetId, tags) {
      if (tags.length === 0) return;
      const score = snowflakeTime(tweetId);
      await pipelineAcrossSlots(redis, tags.map(keys.tagIndex), (pipeline, key) => {
        pipeline.zadd(key, score, tweetId).zremrangebyrank(key, 0, -(cap + 1));
      });
    },
    async remove(tweetId, tags) {
      if (tags.length === 0) return;
      await pipelineAcrossSlots(redis, tags.map(keys.tagIndex), (pipeline, key) => pipeline.zrem(key, tweetId));
    },
    recent: (tag, limit) => redis.zrange(keys.tagIndex(tag), 0, limit - 1, 'REV'),
    async recentMany(tags, limit) {
      if (tags.length === 0) return [];
      const replies = await pipelineAcrossSlots(redis, tags.map(keys.tagIndex), (pipeline, key) => pipeline.zrange(key, 0, limit - 1, 'REV'));
      return replies.map(([ids]) => ids as string[]);
    },
  };
}

/** LLM answers by SHA-256 of the exact text, expiring after `ttlSeconds`. */
export function createTagCache(redis: RedisClient, ttlSeconds: number): TagCache {
  const key = (text: string) => keys.tagCache(createHash('sha256').update(text, 'utf8').digest('hex'));
  return {
    async get(text) {
      const value = await redis.get(key(text));
      return value === null ? null : (JSON.parse(value) as string[]);
    },
    async set(text, tags) {
      await redis.set(key(text), JSON.stringify(tags), 'EX', ttlSeconds);
    },
  };
}
