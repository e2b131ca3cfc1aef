import type { RedisClient } from './client.js';
import type { Position } from '../../domain/cursor.js';
import type { IdPage } from '../../domain/types.js';

/**
 * A page of a sorted set in Redis's reverse order: score descending, then member descending
 * (byte order). `after` is exclusive. Fetches from the cursor's score inclusive and drops the
 * entries at that score the client already saw, widening the read in the rare case a burst
 * of equal scores fills it; usually one round trip.
 */
export async function pageByScoreDesc(redis: RedisClient, key: string, first: number, after?: Position): Promise<IdPage> {
  let limit = first + 1 + (after ? 8 : 0);
  for (;;) {
    const raw = await redis.zrange(key, after ? after.score : '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, limit, 'WITHSCORES');
    const ids: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const member = raw[i]!;
      const score = Number(raw[i + 1]);
      if (after && score === after.score && member >= after.member) continue;
      ids.push(member);
      scores.push(score);
    }
    const exhausted = raw.length / 2 < limit;
    if (ids.length > first || exhausted) {
      return { ids: ids.slice(0, first), scores: scores.slice(0, first), hasNextPage: ids.length > first };
    }
    limit *= 4;
  }
}

/**
 * The entries of a sorted set newer than `after` (exclusive), oldest first: score ascending, then
 * member ascending, the reverse of pageByScoreDesc. At most `limit`; `hasNextPage` says more newer
 * ones exist. For live catch-ups, which deliver what a client missed in the order it happened.
 * Usually one round trip, widened like pageByScoreDesc when equal scores at the cursor fill a read.
 */
export async function entriesAfter(redis: RedisClient, key: string, after: Position, limit: number): Promise<IdPage> {
  let fetch = limit + 1 + 8;
  for (;;) {
    const raw = await redis.zrange(key, after.score, '+inf', 'BYSCORE', 'LIMIT', 0, fetch, 'WITHSCORES');
    const ids: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const member = raw[i]!;
      const score = Number(raw[i + 1]);
      if (score === after.score && member <= after.member) continue;
      ids.push(member);
      scores.push(score);
    }
    const exhausted = raw.length / 2 < fetch;
    if (ids.length > limit || exhausted) {
      return { ids: ids.slice(0, limit), scores: scores.slice(0, limit), hasNextPage: ids.length > limit };
    }
    fetch *= 4;
  }
}

/**
 * A page of a sorted set oldest first (score ascending, then member ascending): from the start, or
 * after `after` (exclusive). For lists read in the order things happened, such as a tweet's replies.
 */
export async function pageByScoreAsc(redis: RedisClient, key: string, first: number, after?: Position): Promise<IdPage> {
  if (after) return entriesAfter(redis, key, after, first);
  const raw = await redis.zrange(key, 0, first, 'WITHSCORES');
  const ids: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    ids.push(raw[i]!);
    scores.push(Number(raw[i + 1]));
  }
  return { ids: ids.slice(0, first), scores: scores.slice(0, first), hasNextPage: ids.length > first };
}
