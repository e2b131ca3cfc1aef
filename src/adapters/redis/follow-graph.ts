import type { RedisClient } from './client.js';
import type { FollowGraph } from '../../domain/follows/ports.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { multiAcrossSlots, pipelineAcrossSlots } from './slots.js';
import { pageByScoreDesc } from './sorted-page.js';
import { defineScript } from './script.js';
import { FOLLOWER_WALK_LUA, positionArgs, scoreBound } from './follower-walk.js';

/**
 * KEYS: a follower set. ARGV: from, to, after score, after member, limit. One chunk of a follower
 * walk (follower-walk.ts): {last score, last member, done (1/0), ids…}. Reads one declared key,
 * so it runs on a cluster too.
 */
const WALK_FOLLOWERS = defineScript<(string | number)[]>(`#!lua flags=no-writes
${FOLLOWER_WALK_LUA}
local ids, lastScore, done = walk(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
local reply = {lastScore or '', ids[#ids] or '', done and 1 or 0}
for i = 1, #ids do reply[#reply + 1] = ids[i] end
return reply
`);

/**
 * Both directions of every follow edge, scored by follow time, written together in MULTI. On a
 * cluster the two users' sets live in different slots, so each side is its own MULTI: the
 * followee's `followers` first, then the follower's `following`, whose reply says whether the
 * edge is new. Both writes are idempotent, so after a crash between them, repeating the same
 * follow or unfollow completes the edge and still reports it as a change (the event goes out).
 */
export function createFollowGraph(redis: RedisClient): FollowGraph {
  return {
    async follow(followerId, followeeId, at) {
      const [, following] = await multiAcrossSlots(redis, [
        { key: keys.followers(followeeId), queue: (m) => m.zadd(keys.followers(followeeId), 'NX', at, followerId) },
        { key: keys.following(followerId), queue: (m) => m.zadd(keys.following(followerId), 'NX', at, followeeId) },
      ]);
      return Number(following?.[0]) === 1;
    },
    async unfollow(followerId, followeeId) {
      const [, following] = await multiAcrossSlots(redis, [
        { key: keys.followers(followeeId), queue: (m) => m.zrem(keys.followers(followeeId), followerId) },
        { key: keys.following(followerId), queue: (m) => m.zrem(keys.following(followerId), followeeId) },
      ]);
      return Number(following?.[0]) === 1;
    },
    async counts(userIds) {
      const sets = userIds.flatMap((id) => [keys.followers(id), keys.following(id)]);
      const replies = await pipelineAcrossSlots(redis, sets, (pipeline, key) => pipeline.zcard(key));
      return userIds.map((_, i) => ({ followers: Number(replies[2 * i]![0]), following: Number(replies[2 * i + 1]![0]) }));
    },
    followers: (userId, first, after) => pageByScoreDesc(redis, keys.followers(userId), first, after),
    following: (userId, first, after) => pageByScoreDesc(redis, keys.following(userId), first, after),
    async followersAfter(userId, after, limit, range = { from: null, to: null }) {
      const [lastScore, lastMember, done, ...ids] = await WALK_FOLLOWERS(redis, [keys.followers(userId)], [
        scoreBound(range.from, '-inf'), scoreBound(range.to, '+inf'), ...positionArgs(after), limit,
      ]);
      const last = lastMember === '' ? null : { score: Number(lastScore), member: String(lastMember) };
      return { ids: ids.map(String), last, done: Number(done) === 1 };
    },
    followerCount: (userId) => redis.zcard(keys.followers(userId)),
    async followerSplitPoints(userId, sliceSize) {
      const key = keys.followers(userId);
      const total = await redis.zcard(key);
      if (total <= sliceSize) return [];
      const pipeline = redis.pipeline();
      for (let rank = sliceSize; rank < total; rank += sliceSize) pipeline.zrange(key, rank, rank, 'WITHSCORES');
      const points = new Set<number>();
      for (const entry of await execChecked(pipeline)) {
        const score = (entry as string[])[1];
        if (score !== undefined) points.add(Number(score));
      }
      return [...points].sort((a, b) => a - b);
    },
    followingIds: (userId) => redis.zrange(keys.following(userId), 0, -1),
    async followedBy(followeeId, candidateIds) {
      if (candidateIds.length === 0) return [];
      const scores = await redis.zmscore(keys.followers(followeeId), ...candidateIds);
      return scores.map((s) => s !== null);
    },
    async isFollowing(followerId, followeeIds) {
      if (followeeIds.length === 0) return [];
      const scores = await redis.zmscore(keys.following(followerId), ...followeeIds);
      return scores.map((s) => s !== null);
    },
  };
}
