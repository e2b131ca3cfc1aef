import type { RedisClient } from './client.js';
import type { LikeStore } from '../../domain/likes/ports.js';
import { keys } from './keys.js';
import { defineScript } from './script.js';
import { isCluster } from './slots.js';

/** KEYS: the user's likes, the tweet's count. ARGV: tweet, ms. One server: edge and count at once. Returns {added, count}. */
const LIKE = defineScript<[number, number]>(`
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
if added == 1 then return { 1, redis.call('INCR', KEYS[2]) } end
return { 0, tonumber(redis.call('GET', KEYS[2]) or '0') }
`);

/** KEYS as LIKE. ARGV: tweet. Returns {like time or false, count}. */
const UNLIKE = defineScript<[string | null, number]>(`
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not at then return { false, tonumber(redis.call('GET', KEYS[2]) or '0') } end
redis.call('ZREM', KEYS[1], ARGV[1])
local count = redis.call('DECR', KEYS[2])
if count < 0 then
  redis.call('SET', KEYS[2], 0)
  count = 0
end
return { at, count }
`);

/**
 * Like edges per user (`likes:{user}`: tweet → like time, in the user's taste slot) and a count per
 * tweet (`tweet:{id}:likes`, in the tweet's slot, so pages read it in the tweet's MGET); the only
 * module writing them. On one server a like or unlike is one script; on a cluster the two keys
 * are in different slots, so the edge is written first and the count follows only when the edge
 * changed (a crash between the two leaves the count one off; a retry finds the edge and changes
 * nothing).
 */
export function createLikeStore(redis: RedisClient): LikeStore {
  const count = async (tweetId: string) => Number((await redis.get(keys.tweetLikes(tweetId))) ?? 0);
  return {
    async like(userId, tweetId, at) {
      const edge = keys.likes(userId);
      const counter = keys.tweetLikes(tweetId);
      if (!isCluster(redis)) {
        const [added, likeCount] = await LIKE(redis, [edge, counter], [tweetId, at]);
        return { changed: added === 1, likeCount: Number(likeCount) };
      }
      if ((await redis.zadd(edge, 'NX', at, tweetId)) !== 1) return { changed: false, likeCount: await count(tweetId) };
      return { changed: true, likeCount: await redis.incr(counter) };
    },
    async unlike(userId, tweetId) {
      const edge = keys.likes(userId);
      const counter = keys.tweetLikes(tweetId);
      if (!isCluster(redis)) {
        const [at, likeCount] = await UNLIKE(redis, [edge, counter], [tweetId]);
        return { likedAt: at === null ? null : Number(at), likeCount: Number(likeCount) };
      }
      const at = await redis.zscore(edge, tweetId);
      if (at === null || (await redis.zrem(edge, tweetId)) !== 1) return { likedAt: null, likeCount: await count(tweetId) };
      const left = await redis.decr(counter);
      if (left < 0) await redis.set(counter, 0);
      return { likedAt: Number(at), likeCount: Math.max(0, left) };
    },
    async likedAmong(userId, tweetIds) {
      if (tweetIds.length === 0) return [];
      return (await redis.zmscore(keys.likes(userId), ...tweetIds)).map((s) => s !== null);
    },
  };
}
