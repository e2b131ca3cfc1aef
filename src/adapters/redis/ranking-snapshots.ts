import { randomBytes } from 'node:crypto';
import type { RedisClient } from './client.js';
import type { RankingSnapshots } from '../../domain/ranking/ports.js';
import type { RankedEntry } from '../../domain/ranking/types.js';
import { keys, keyTemplate } from './keys.js';
import { defineScript } from './script.js';

/**
 * KEYS: the new snapshot, the user's snapshot ids (newest first). ARGV: TTL s, snapshots kept per
 * user, the new id, the snapshot key's prefix and suffix around an id, then the entries. Writes
 * the snapshot, lists it first, and deletes the snapshots past the cap with their ids; all in the
 * user's slot (keys.ts hash-tags them). RPUSH goes in batches: Lua's unpack has a stack limit.
 */
const SAVE = defineScript<null>(`
for i = 6, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('LPUSH', KEYS[2], ARGV[3])
local keep = tonumber(ARGV[2])
for _, id in ipairs(redis.call('LRANGE', KEYS[2], keep, -1)) do
  redis.call('DEL', ARGV[4] .. id .. ARGV[5])
end
redis.call('LTRIM', KEYS[2], 0, keep - 1)
redis.call('EXPIRE', KEYS[2], ARGV[1])
return nil
`);

/**
 * Each ranking is a Redis list of JSON entries under a random id, scoped to its user (another
 * user's cursor finds nothing) and expiring after `ttlSeconds`. At most `perUser` live at once per
 * user: saving one more deletes the oldest (its cursors then find nothing: "cursor expired"), so
 * however many first pages a client asks for, a user holds a bounded number. A save is one script
 * call; a page is one LRANGE plus LLEN in one round trip.
 */
export function createRankingSnapshots(redis: RedisClient, options: { ttlSeconds: number; perUser: number }): RankingSnapshots {
  return {
    async save(userId, entries) {
      const snapshotId = randomBytes(16).toString('base64url');
      if (entries.length === 0) return snapshotId;
      const { prefix, suffix } = keyTemplate((id) => keys.forYouSnapshot(userId, id));
      await SAVE(
        redis,
        [keys.forYouSnapshot(userId, snapshotId), keys.forYouSnapshots(userId)],
        [options.ttlSeconds, options.perUser, snapshotId, prefix, suffix, ...entries.map((e) => JSON.stringify(e))],
      );
      return snapshotId;
    },
    async read(userId, snapshotId, offset, count) {
      const key = keys.forYouSnapshot(userId, snapshotId);
      // Plain commands issued together: auto-pipelining sends them in one write with whatever else
      // the caller issued in the same tick (the reader's hidden set), so that is one round trip; an
      // explicit pipeline is a write, and a server read, of its own. Neither is atomic, so nothing is lost.
      const [raw, total] = await Promise.all([redis.lrange(key, offset, offset + count - 1), redis.llen(key)]);
      // Redis deletes empty lists and save never writes one, so length 0 means gone.
      if (Number(total) === 0) return null;
      return { entries: raw.map((s) => JSON.parse(s) as RankedEntry), total: Number(total) };
    },
  };
}
