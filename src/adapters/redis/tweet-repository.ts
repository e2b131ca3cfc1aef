import type { Redis } from 'ioredis';
import type { TweetRepository } from '../../domain/ports.js';
import type { Tweet } from '../../domain/types.js';
import { keys } from './keys.js';

/** Tweets as JSON strings, so a page of them is one MGET. */
export function createTweetRepository(redis: Redis): TweetRepository {
  return {
    async save(tweet) {
      await redis.set(keys.tweet(tweet.id), JSON.stringify(tweet));
    },
    async remove(id) {
      await redis.del(keys.tweet(id));
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      const values = await redis.mget(ids.map(keys.tweet));
      return values.map((v) => (v === null ? null : (JSON.parse(v) as Tweet)));
    },
  };
}
