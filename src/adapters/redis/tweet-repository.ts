import type { RedisClient } from './client.js';
import type { TweetRepository } from '../../domain/tweets/ports.js';
import type { ModerationVerdict, Tweet, TweetTags } from '../../domain/types.js';
import { IGNORE_SKIPPED, type RecordIntegrity } from '../../domain/integrity/ports.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';
import { mgetAcrossSlots } from './slots.js';
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

/** A stored value as JSON, or `corrupt` when it does not parse or `valid` refuses it. */
function parseStored<T>(value: string | null | undefined, valid: (v: T) => boolean): T | null | 'corrupt' {
  if (value == null) return null;
  try {
    const parsed = JSON.parse(value) as T;
    return parsed !== null && typeof parsed === 'object' && valid(parsed) ? parsed : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

const isTweet = (t: Tweet) => typeof t.id === 'string' && typeof t.authorId === 'string' && typeof t.text === 'string' && typeof t.createdAt === 'string';
const isTags = (t: TweetTags) => Array.isArray(t.tags);
const isVerdict = (v: ModerationVerdict) => typeof v.flagged === 'boolean';

/**
 * Tweets as JSON strings, with their tags, moderation verdict and like count in sibling keys, so a
 * page of tweets with everything shown about them is one MGET (one per slot on a cluster, where a tweet's
 * keys share a hash tag). Each consumer group writes only its own keys.
 * A deleted tweet leaves a tombstone, so a late retry of its creation cannot resurrect it.
 */
export function createTweetRepository(redis: RedisClient, integrity: RecordIntegrity = IGNORE_SKIPPED): TweetRepository {
  return {
    async save(tweet) {
      const { tags: _tags, moderation: _moderation, likeCount: _likeCount, ...record } = tweet;
      await SAVE_UNLESS_DELETED(redis, [keys.tweet(tweet.id), keys.tweetTombstone(tweet.id)], [JSON.stringify(record)]);
    },
    async remove(id) {
      // Its replies stay (each names it; Tweet.replyTo shows null), but it no longer lists them; its reposts go (home pages then drop it as a retracted repost, or as missing).
      await execChecked(
        redis.multi().del(keys.tweet(id), keys.tweetLikes(id), keys.tweetReplies(id), keys.tweetReposters(id)).set(keys.tweetTombstone(id), '1', 'EX', TOMBSTONE_TTL_SECONDS),
      );
    },
    async addReply(parentId, replyId) {
      await ADD_REPLY(redis, [keys.tweetReplies(parentId), keys.tweetTombstone(parentId)], [snowflakeTime(replyId), replyId]);
    },
    async removeReply(parentId, replyId) {
      await redis.zrem(keys.tweetReplies(parentId), replyId);
    },
    async replyCounts(ids) {
      // Plain commands issued together: the client's auto-pipelining sends them in one write with
      // whatever else the same tick asks (the replied-to tweets' MGET of a page), so one round trip;
      // an explicit pipeline would be a write, and a server read, of its own.
      return Promise.all(ids.map((id) => redis.zcard(keys.tweetReplies(id))));
    },
    replies: (parentId, first, after) => pageByScoreAsc(redis, keys.tweetReplies(parentId), first, after),
    async getMany(ids) {
      if (ids.length === 0) return [];
      const values = await mgetAcrossSlots(redis, ids.flatMap((id) => [keys.tweet(id), keys.tweetTags(id), keys.tweetModeration(id), keys.tweetLikes(id)]));
      // A record that does not parse is left out (and reported), never allowed to fail the whole read.
      // Corrupt tags read as none; a corrupt verdict leaves the tweet out, since it might say "hidden".
      return ids.map((id, i) => {
        const tweet = parseStored(values[4 * i], isTweet);
        const tags = parseStored(values[4 * i + 1], isTags);
        const moderation = parseStored(values[4 * i + 2], isVerdict);
        if (tweet === null) return null;
        if (tweet === 'corrupt' || moderation === 'corrupt') {
          integrity.skipped('tweet', id, 'corrupt', { part: tweet === 'corrupt' ? 'tweet' : 'moderation' });
          return null;
        }
        if (tags === 'corrupt') integrity.skipped('tweet', id, 'corrupt', { part: 'tags' });
        const likes = Number(values[4 * i + 3] ?? 0);
        return { ...tweet, tags: tags === 'corrupt' ? null : tags, moderation, likeCount: Number.isFinite(likes) ? likes : 0 };
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
    async getModerations(ids) {
      if (ids.length === 0) return [];
      return (await mgetAcrossSlots(redis, ids.map(keys.tweetModeration))).map((v) => parse<ModerationVerdict>(v));
    },
    async saveModeration(id, verdict) {
      await redis.set(keys.tweetModeration(id), JSON.stringify(verdict));
    },
    async removeModeration(id) {
      await redis.del(keys.tweetModeration(id));
    },
  };
}
