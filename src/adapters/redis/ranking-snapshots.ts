import { randomBytes } from 'node:crypto';
import type { RedisClient } from './client.js';
import type { RankingSnapshots } from '../../domain/ranking/ports.js';
import type { RankedEntry } from '../../domain/ranking/types.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';

/**
 * Each ranking is a Redis list of JSON entries under a random id, scoped to its user (another
 * user's cursor finds nothing) and expiring after `ttlSeconds`. Written in one MULTI; a page is
 * one LRANGE plus LLEN in one round trip.
 */
export function createRankingSnapshots(redis: RedisClient, options: { ttlSeconds: number }): RankingSnapshots {
  return {
    async save(userId, entries) {
      const snapshotId = randomBytes(16).toString('base64url');
      if (entries.length === 0) return snapshotId;
      const key = keys.forYouSnapshot(userId, snapshotId);
      await execChecked(
        redis
          .multi()
          .rpush(key, ...entries.map((e) => JSON.stringify(e)))
          .expire(key, options.ttlSeconds),
      );
      return snapshotId;
    },
    async read(userId, snapshotId, offset, count) {
      const key = keys.forYouSnapshot(userId, snapshotId);
      const [raw, total] = await execChecked(redis.pipeline().lrange(key, offset, offset + count - 1).llen(key));
      // Redis deletes empty lists and save never writes one, so length 0 means gone.
      if (Number(total) === 0) return null;
      return { entries: (raw as string[]).map((s) => JSON.parse(s) as RankedEntry), total: Number(total) };
    },
  };
}
