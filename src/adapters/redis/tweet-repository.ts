import type { RedisClient } from './client.js';
import type { TweetRepository } from '../../domain/tweets/ports.js';
import type { ModerationVerdict, Tweet, TweetTags } from '../../domain/types.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';
import { mgetAcrossSlots, pipelineAcrossSlots } from './slots.js';
import { pageByScoreAsc } from './sorted-page.js';
import { snowflakeTime } from '../../domain/snowflake.js';

/** Long enough for any retry of the tweet's creation to have run its course. */
const TOMBSTONE_TTL_SECONDS = 7 * 24 * 60 * 60;

/** KEYS: tweet, tombstone. ARGV: JSON. Writes the tweet unless it was deleted. */
const SAVE_UNLESS_DELETED = defineScript<null>(`
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return nil
`);

/** KEYS: replies of the parent, the parent's tombstone. ARGV: score, reply id. A deleted parent collects no replies. */
const ADD_REPLY = defineScript<number>(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
return redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
`);

const parse = <T>(value: string | null | undefined): T | null => (value == null ? null : (JSON.parse(value) as T));

/**
 * Tweets as JSON strings, with their tags and moderation verdict in sibling keys, so a page of
 * tweets with everything shown about them is one MGET (one per slot on a cluster, where a tweet's
 * keys share a hash tag). Each consumer group writes only its own keys.
 * A deleted tweet leaves a tombstone, so a late retry of its creation cannot resurrect it.
 */
export function createTweetRepository(redis: RedisClient): TweetRepository {
  return {
    async save(tweet) {
      const { tags: _tags, moderation: _moderation, ...record } = tweet;
      await SAVE_UNLESS_DELETED(redis, [keys.tweet(tweet.id), keys.tweetTombstone(tweet.id)], [JSON.stringify(record)]);
    },
    async remove(id) {
      // Its replies stay (each names it; Tweet.replyTo shows null), but it no longer lists them.
      await execChecked(redis.multi().del(keys.tweet(id)).del(keys.tweetReplies(id)).set(keys.tweetTombstone(id), '1', 'EX', TOMBSTONE_TTL_SECONDS));
    },
    async addReply(parentId, replyId) {
      await ADD_REPLY(redis, [keys.tweetReplies(parentId), keys.tweetTombstone(parentId)], [snowflakeTime(replyId), replyId]);
    },
    async removeReply(parentId, replyId) {
      await redis.zrem(keys.tweetReplies(parentId), replyId);
    },
    async replyCounts(ids) {
      const replies = await pipelineAcrossSlots(redis, ids.map(keys.tweetReplies), (pipeline, key) => pipeline.zcard(key));
      return replies.map((r) => Number(r[0]));
    },
    replies: (parentId, first, after) => pageByScoreAsc(redis, keys.tweetReplies(parentId), first, after),
    async getMany(ids) {
      if (ids.length === 0) return [];
      const values = await mgetAcrossSlots(redis, ids.flatMap((id) => [keys.tweet(id), keys.tweetTags(id), keys.tweetModeration(id)]));
      return ids.map((_, i) => {
        const tweet = parse<Tweet>(values[3 * i]);
        if (!tweet) return null;
        return { ...tweet, tags: parse<TweetTags>(values[3 * i + 1]), moderation: parse<ModerationVerdict>(values[3 * i + 2]) };
      });
    },
    async getTags(id) {
      return parse<TweetTags>(await redis.get(keys.tweetTags(id)));
    },
    async saveTags(id, tags) {
      await redis.set(keys.tweetTags(id), JSON.stringify(tags));
    },
    async removeTags(id) {
      await redis.del(keys.tweetTags(id));
    },
    async getModeration(id) {
      return parse<ModerationVerdict>(await redis.get(keys.tweetModeration(id)));
    },
    async saveModeration(id, verdict) {
      await redis.set(keys.tweetModeration(id), JSON.stringify(verdict));
    },
    async removeModeration(id) {
      await redis.del(keys.tweetModeration(id));
    },
  };
}
