import type { RedisClient } from './client.js';
import type { FanOutCheckpoints } from '../../domain/timelines/ports.js';
import { keys } from './keys.js';

const TTL_SECONDS = 24 * 60 * 60;

export function createFanOutCheckpoints(redis: RedisClient): FanOutCheckpoints {
  return {
    get: (tweetId) => redis.get(keys.fanOutCheckpoint(tweetId)),
    save: async (tweetId, cursor) => void (await redis.set(keys.fanOutCheckpoint(tweetId), cursor, 'EX', TTL_SECONDS)),
    clear: async (tweetId) => void (await redis.del(keys.fanOutCheckpoint(tweetId))),
  };
}
