import type { Redis } from 'ioredis';
import type { FollowGraph } from '../../domain/ports.js';
import { keys } from './keys.js';
import { pageByScoreDesc } from './sorted-page.js';

/** Both directions of every follow edge, scored by follow time, written together in MULTI. */
export function createFollowGraph(redis: Redis): FollowGraph {
  return {
    async follow(followerId, followeeId, at) {
      const result = await redis
        .multi()
        .zadd(keys.following(followerId), 'NX', at, followeeId)
        .zadd(keys.followers(followeeId), 'NX', at, followerId)
        .exec();
      return Number(result?.[0]?.[1] ?? 0) === 1;
    },
    async unfollow(followerId, followeeId) {
      const result = await redis
        .multi()
        .zrem(keys.following(followerId), followeeId)
        .zrem(keys.followers(followeeId), followerId)
        .exec();
      return Number(result?.[0]?.[1] ?? 0) === 1;
    },
    async counts(userIds) {
      if (userIds.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.zcard(keys.followers(id)).zcard(keys.following(id));
      const results = (await pipeline.exec()) ?? [];
      return userIds.map((_, i) => {
        const [followersErr, followers] = results[2 * i] ?? [];
        const [followingErr, following] = results[2 * i + 1] ?? [];
        if (followersErr) throw followersErr;
        if (followingErr) throw followingErr;
        return { followers: Number(followers), following: Number(following) };
      });
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
      for (const [err, entry] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
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
