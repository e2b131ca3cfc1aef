import type { RedisClient } from './client.js';
import type { FollowGraph } from '../../domain/follows/ports.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { multiAcrossSlots, pipelineAcrossSlots } from './slots.js';
import { pageByScoreDesc } from './sorted-page.js';

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
    async *scanFollowers(userId, chunkSize, from = '0') {
      let cursor = from;
      do {
        const [next, flat] = await redis.zscan(keys.followers(userId), cursor, 'COUNT', chunkSize);
        cursor = next;
        const ids: string[] = [];
        for (let i = 0; i < flat.length; i += 2) ids.push(flat[i]!);
        yield { ids, next };
      } while (cursor !== '0');
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
    followersBetween: (userId, from, to) =>
      redis.zrange(keys.followers(userId), from ?? '-inf', to === null ? '+inf' : `(${to}`, 'BYSCORE'),
    async isFollowing(followerId, followeeIds) {
      if (followeeIds.length === 0) return [];
      const scores = await redis.zmscore(keys.following(followerId), ...followeeIds);
      return scores.map((s) => s !== null);
    },
  };
}
