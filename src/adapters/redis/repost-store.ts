import type { RedisClient } from './client.js';
import type { RepostStore } from '../../domain/reposts/ports.js';
import { keys } from './keys.js';
import { defineScript } from './script.js';

/** KEYS: the tweet's reposters, its tombstone (one slot). ARGV: reposter, ms. Returns 1 added, 0 already there, -1 deleted. */
const ADD_REPOST = defineScript<number>(`
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
return redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
`);

/** KEYS: the tweet's reposters. ARGV: reposter. Returns the removed repost's time, or false. */
const REMOVE_REPOST = defineScript<string | null>(`
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if at then redis.call('ZREM', KEYS[1], ARGV[1]) end
return at
`);

/**
 * `tweet:{id}:reposters` (reposter → repost time), the only module writing it; it shares the
 * tweet's hash tag, so the add checks the tweet's tombstone in the same script on a cluster too,
 * and deleting the tweet (TweetRepository.remove) drops it in its MULTI. Not capped: like a like
 * count, it is as long as the tweet is popular; reads take ZCARD or a bounded ZRANGE only.
 */
export function createRepostStore(redis: RedisClient): RepostStore {
  return {
    async add(tweetId, reposterId, at) {
      const result = Number(await ADD_REPOST(redis, [keys.tweetReposters(tweetId), keys.tweetTombstone(tweetId)], [reposterId, at]));
      return { added: result === 1, deleted: result === -1 };
    },
    async remove(tweetId, reposterId) {
      const at = await REMOVE_REPOST(redis, [keys.tweetReposters(tweetId)], [reposterId]);
      return at === null ? null : Number(at);
    },
    has: async (tweetId, reposterId) => (await redis.zscore(keys.tweetReposters(tweetId), reposterId)) !== null,
    // Plain commands issued together: auto-pipelined into one write with whatever else the tick asks.
    counts: (tweetIds) => Promise.all(tweetIds.map((id) => redis.zcard(keys.tweetReposters(id)))),
    async earliest(tweetIds, limit) {
      const replies = await Promise.all(tweetIds.map((id) => redis.zrange(keys.tweetReposters(id), 0, limit - 1, 'WITHSCORES')));
      return replies.map((flat) => {
        const reposts = [];
        for (let i = 0; i + 1 < flat.length; i += 2) reposts.push({ reposterId: flat[i]!, at: Number(flat[i + 1]) });
        return reposts;
      });
    },
  };
}
