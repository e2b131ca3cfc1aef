import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { TagCache, TagIndex } from '../../domain/ports.js';
import { snowflakeTime } from '../../domain/snowflake.js';
import { keys } from './keys.js';
import { execOrThrow } from './pipeline.js';

/** Per-tag sorted sets (score = tweet time), trimmed to `cap` on every write. */
export function createTagIndex(redis: Redis, cap: number): TagIndex {
  return {
    async add(tweetId, tags) {
      if (tags.length === 0) return;
      const score = snowflakeTime(tweetId);
      const pipeline = redis.pipeline();
      for (const tag of tags) pipeline.zadd(keys.tagIndex(tag), score, tweetId).zremrangebyrank(keys.tagIndex(tag), 0, -(cap + 1));
      await execOrThrow(pipeline);
    },
    async remove(tweetId, tags) {
      if (tags.length === 0) return;
      const pipeline = redis.pipeline();
      for (const tag of tags) pipeline.zrem(keys.tagIndex(tag), tweetId);
      await execOrThrow(pipeline);
    },
    recent: (tag, limit) => redis.zrange(keys.tagIndex(tag), 0, limit - 1, 'REV'),
    async recentMany(tags, limit) {
      if (tags.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const tag of tags) pipeline.zrange(keys.tagIndex(tag), 0, limit - 1, 'REV');
      return ((await pipeline.exec()) ?? []).map(([err, ids]) => {
        if (err) throw err;
        return ids as string[];
      });
    },
  };
}

/** LLM answers by SHA-256 of the exact text, expiring after `ttlSeconds`. */
export function createTagCache(redis: Redis, ttlSeconds: number): TagCache {
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
