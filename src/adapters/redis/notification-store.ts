import { groupKey, parseGroupKey } from '../../domain/notifications/grouping.js';
import type { NotificationActivity, NotificationGroup, NotificationStore } from '../../domain/notifications/ports.js';
import type { RedisClient } from './client.js';
import { keys } from './keys.js';
import { execChecked } from './pipeline.js';
import { defineScript } from './script.js';

export interface NotificationLimits {
  /** Groups kept per user (the oldest go first). */
  groupsCap: number;
  /** Actors kept per group for its preview; the count goes on past it. */
  actorsCap: number;
  /** How long a user's notifications live after their last change, and how old an activity may be to be recorded. */
  ttlSeconds: number;
}

/**
 * KEYS: groups, counts, the group's actors. ARGV: group, actor, at, groupsCap, actorsCap, ttl (s),
 * actor-key prefix (the group is appended: the keys of trimmed groups share the user's slot),
 * oldest score kept (ms). Returns 1 when the actor was counted, 0 when it already was.
 *
 * An actor already in the set is a redelivery. A full set whose oldest kept actor is no older
 * than this activity means the actor was counted and trimmed since (or is too old to show):
 * skipped too, so redelivery never counts twice.
 */
const RECORD = defineScript<number>(`
local groups, counts, actors = KEYS[1], KEYS[2], KEYS[3]
local group, actor, at = ARGV[1], ARGV[2], tonumber(ARGV[3])
local groupsCap, actorsCap, ttl, prefix, oldest = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
if at < oldest then return 0 end
if redis.call('ZSCORE', actors, actor) then return 0 end
local n = redis.call('ZCARD', actors)
if n >= actorsCap then
  local first = redis.call('ZRANGE', actors, 0, 0, 'WITHSCORES')
  if first[2] and at <= tonumber(first[2]) then return 0 end
end
redis.call('ZADD', actors, at, actor)
if n + 1 > actorsCap then redis.call('ZREMRANGEBYRANK', actors, 0, n - actorsCap) end
redis.call('HINCRBY', counts, group, 1)
local current = redis.call('ZSCORE', groups, group)
if (not current) or tonumber(current) < at then redis.call('ZADD', groups, at, group) end
local gone = redis.call('ZRANGE', groups, '-inf', '(' .. oldest, 'BYSCORE')
local total = redis.call('ZCARD', groups) - #gone
if total > groupsCap then
  local extra = redis.call('ZRANGE', groups, #gone, #gone + total - groupsCap - 1)
  for _, g in ipairs(extra) do gone[#gone + 1] = g end
end
for _, g in ipairs(gone) do
  redis.call('ZREM', groups, g)
  redis.call('HDEL', counts, g)
  redis.call('DEL', prefix .. g)
end
redis.call('EXPIRE', groups, ttl)
redis.call('EXPIRE', counts, ttl)
redis.call('EXPIRE', actors, ttl)
return 1
`);

/** KEYS: groups, counts, the group's actors. ARGV: group, actor. 1 when the actor was in the group. */
const RETRACT = defineScript<number>(`
if redis.call('ZREM', KEYS[3], ARGV[2]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('DEL', KEYS[3])
end
return 1
`);

/**
 * KEYS: groups, counts, read marker. ARGV: max score (inclusive, or +inf), limit.
 * Returns { marker, group, score, count, group, score, count, … }, newest first.
 */
const PAGE = defineScript<string[]>(`
local raw = redis.call('ZRANGE', KEYS[1], ARGV[1], '-inf', 'BYSCORE', 'REV', 'LIMIT', 0, tonumber(ARGV[2]), 'WITHSCORES')
local out = { redis.call('GET', KEYS[3]) or '0' }
for i = 1, #raw, 2 do
  out[#out + 1] = raw[i]
  out[#out + 1] = raw[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], raw[i]) or '0'
end
return out
`);

/** KEYS: groups, read marker. Groups newer than the marker. */
const UNREAD = defineScript<number>(`
local marker = redis.call('GET', KEYS[2]) or '0'
return redis.call('ZCOUNT', KEYS[1], '(' .. marker, '+inf')
`);

/** KEYS: groups, read marker. ARGV: up to (ms), ttl (s). Moves the marker forward; returns the groups it passed. */
const MARK_READ = defineScript<number>(`
local marker = tonumber(redis.call('GET', KEYS[2]) or '0')
local upTo = tonumber(ARGV[1])
if upTo <= marker then return 0 end
local passed = redis.call('ZCOUNT', KEYS[1], '(' .. marker, upTo)
redis.call('SET', KEYS[2], ARGV[1], 'EX', tonumber(ARGV[2]))
return passed
`);

const groupKeyOf = (a: NotificationActivity) => groupKey(a.kind, a.tweetId, a.at);

/**
 * The only module touching `notif:*`. Every operation on one user is one script or pipeline on
 * the user's keys (one `{user}` slot), so a page, a count or a mark is one round trip.
 */
export function createNotificationStore(redis: RedisClient, limits: NotificationLimits, clock: () => number = Date.now): NotificationStore {
  const groupOf = (recipientId: string, key: string, score: number, count: number, marker: number): NotificationGroup | null => {
    const subject = parseGroupKey(key);
    if (!subject || count <= 0) return null;
    return { recipientId, key, ...subject, actorCount: count, latestAt: score, read: score <= marker };
  };
  const oldestKept = () => clock() - limits.ttlSeconds * 1000;

  async function readPage(recipientId: string, maxScore: number | '+inf', limit: number) {
    const raw = await PAGE(redis, [keys.notifications(recipientId), keys.notificationCounts(recipientId), keys.notificationsRead(recipientId)], [maxScore, limit]);
    const marker = Number(raw[0]);
    const rows: { key: string; score: number; count: number }[] = [];
    for (let i = 1; i + 2 < raw.length; i += 3) rows.push({ key: raw[i]!, score: Number(raw[i + 1]), count: Number(raw[i + 2]) });
    return { marker, rows, exhausted: rows.length < limit };
  }

  return {
    async record(a) {
      const key = groupKeyOf(a);
      const counted = await RECORD(
        redis,
        [keys.notifications(a.recipientId), keys.notificationCounts(a.recipientId), keys.notificationActors(a.recipientId, key)],
        [key, a.actorId, a.at, limits.groupsCap, limits.actorsCap, limits.ttlSeconds, keys.notificationActors(a.recipientId, ''), oldestKept()],
      );
      return counted === 1 ? key : null;
    },
    async retract(a) {
      const key = groupKeyOf(a);
      const removed = await RETRACT(
        redis,
        [keys.notifications(a.recipientId), keys.notificationCounts(a.recipientId), keys.notificationActors(a.recipientId, key)],
        [key, a.actorId],
      );
      return removed === 1;
    },
    async page(recipientId, first, after) {
      // Read from the cursor's score inclusive and drop what the client saw at it (pageByScoreDesc's rule).
      let limit = first + 1 + (after ? 8 : 0);
      for (;;) {
        const { marker, rows, exhausted } = await readPage(recipientId, after ? after.score : '+inf', limit);
        const fresh = after ? rows.filter((r) => r.score < after.score || r.key < after.group) : rows;
        if (fresh.length > first || exhausted) {
          const groups = fresh.slice(0, first).flatMap((r) => groupOf(recipientId, r.key, r.score, r.count, marker) ?? []);
          return { groups, hasNextPage: fresh.length > first };
        }
        limit *= 4;
      }
    },
    async group(recipientId, key) {
      const pipeline = redis.pipeline();
      pipeline.zscore(keys.notifications(recipientId), key);
      pipeline.hget(keys.notificationCounts(recipientId), key);
      pipeline.get(keys.notificationsRead(recipientId));
      const [score, count, marker] = (await execChecked(pipeline)) as [string | null, string | null, string | null];
      if (score === null) return null;
      return groupOf(recipientId, key, Number(score), Number(count ?? 0), Number(marker ?? 0));
    },
    async actors(recipientId, groupKeys, first) {
      if (groupKeys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of groupKeys) pipeline.zrange(keys.notificationActors(recipientId, key), 0, first - 1, 'REV');
      return (await execChecked(pipeline)) as string[][];
    },
    unreadCount: (recipientId) => UNREAD(redis, [keys.notifications(recipientId), keys.notificationsRead(recipientId)], []),
    markReadUpTo: (recipientId, upTo) =>
      MARK_READ(redis, [keys.notifications(recipientId), keys.notificationsRead(recipientId)], [upTo, limits.ttlSeconds]),
  };
}
