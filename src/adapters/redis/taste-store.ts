import type { Config } from '../../config/index.js';
import type { RedisClient } from './client.js';
import { decayedWeight, FORGET_BELOW, REBASE_AFTER_HALF_LIVES } from '../../domain/ranking/decay.js';
import type { TasteStore } from '../../domain/ranking/ports.js';
import { keys } from './keys.js';
import { defineScript } from './script.js';
import { isCluster } from './slots.js';

/**
 * Tags per user are bounded by the vocabulary (50); the cap is a guard should that ever change,
 * so the set stays a one-read size.
 */
const TASTE_CAP = 64;

/**
 * Lua shared by the click scripts. ARGV: tweet id, click ms, dedupe window ms, taste half-life ms,
 * popular half-life ms, clicked cap, popular cap, taste cap, rebase exponent, forget-below, tags…
 * Decay as in domain/ranking/decay.ts: increments are scaled to the set's anchor; when one would
 * exceed 2^rebase the set is rescaled to a new anchor at the click time.
 */
const CLICK_PRELUDE = `
local tweet, at, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local rebase, forget = tonumber(ARGV[9]), tonumber(ARGV[10])

local function bump(set, anchorKey, halfLife, members, cap)
  local anchor = tonumber(redis.call('GET', anchorKey))
  if not anchor then
    anchor = at
    redis.call('SET', anchorKey, ARGV[2])
  end
  local e = (at - anchor) / halfLife
  if e > rebase then
    local f = 2 ^ (-e)
    local all = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
    for i = 1, #all, 2 do
      local s = tonumber(all[i + 1]) * f
      if s < forget then redis.call('ZREM', set, all[i]) else redis.call('ZADD', set, s, all[i]) end
    end
    redis.call('SET', anchorKey, ARGV[2])
    e = 0
  end
  local inc = 2 ^ e
  for _, m in ipairs(members) do redis.call('ZINCRBY', set, inc, m) end
  redis.call('ZREMRANGEBYRANK', set, 0, -(cap + 1))
end
`;

/** KEYS[1..3]: taste, taste anchor, clicked. Returns 0 (and writes nothing) inside the dedupe window. */
const USER_PART = `
local last = redis.call('ZSCORE', KEYS[3], tweet)
if last and math.abs(at - tonumber(last)) < window then return 0 end
local tags = {}
for i = 11, #ARGV do tags[#tags + 1] = ARGV[i] end
bump(KEYS[1], KEYS[2], tonumber(ARGV[4]), tags, tonumber(ARGV[8]))
redis.call('ZADD', KEYS[3], 'GT', at, tweet)
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[6]) + 1))
`;

/** KEYS[p], KEYS[p+1]: popular, popular anchor. */
const popularPart = (p: number) => `
bump(KEYS[${p}], KEYS[${p + 1}], tonumber(ARGV[5]), { tweet }, tonumber(ARGV[7]))
`;

/** One server: KEYS taste, taste anchor, clicked, popular, popular anchor; the whole click at once. */
const RECORD_CLICK = defineScript<number>(`${CLICK_PRELUDE}${USER_PART}${popularPart(4)}return 1`);
/** Cluster, the user's slot: KEYS taste, taste anchor, clicked. */
const RECORD_USER_CLICK = defineScript<number>(`${CLICK_PRELUDE}${USER_PART}return 1`);
/** Cluster, the popular slot: KEYS popular, popular anchor. */
const RECORD_POPULAR_CLICK = defineScript<number>(`${CLICK_PRELUDE}${popularPart(1)}return 1`);

/** KEYS: taste, taste anchor. ARGV: limit. Anchor and scores read together, so a rebase between them cannot skew weights. */
const TOP_TAGS = defineScript<[string | null, string[]]>(`
local anchor = redis.call('GET', KEYS[2])
return { anchor, redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'REV', 'WITHSCORES') }
`);

/**
 * Taste, clicked and popular sets in Redis. On one server a click is learned in one Lua script
 * (dedupe check, taste, clicked and popular updates), so a redelivered or repeated click is
 * counted everywhere or nowhere. On a cluster the user's keys and the popular set are in
 * different slots, so the user's script runs first and, when it counted the click, the popular
 * one: taste and clicked stay exactly-once per dedupe window, while popular is at most once (a
 * crash between the two loses that click's popularity; a redelivery finds it deduplicated).
 * Every set is capped on write.
 */
export function createTasteStore(redis: RedisClient, settings: Config['taste']): TasteStore {
  const limits = {
    tasteHalfLifeMs: settings.halfLifeSeconds * 1000,
    popularHalfLifeMs: settings.popularHalfLifeSeconds * 1000,
    dedupeWindowMs: settings.dedupeWindowSeconds * 1000,
    clickedCap: settings.clickedCap,
    popularCap: settings.popularCap,
  };
  return {
    async recordClick({ userId, tweetId, tags, at }) {
      const userKeys = [keys.taste(userId), keys.tasteAnchor(userId), keys.clicked(userId)];
      const popularKeys = [keys.popular(), keys.popularAnchor()];
      const args = [
        tweetId,
        at,
        limits.dedupeWindowMs,
        limits.tasteHalfLifeMs,
        limits.popularHalfLifeMs,
        limits.clickedCap,
        limits.popularCap,
        TASTE_CAP,
        REBASE_AFTER_HALF_LIVES,
        FORGET_BELOW,
        ...new Set(tags),
      ];
      if (!isCluster(redis)) return (await RECORD_CLICK(redis, [...userKeys, ...popularKeys], args)) === 1;
      if ((await RECORD_USER_CLICK(redis, userKeys, args)) !== 1) return false;
      await RECORD_POPULAR_CLICK(redis, popularKeys, args);
      return true;
    },
    async topTags(userId, limit, now) {
      const [anchor, flat] = await TOP_TAGS(redis, [keys.taste(userId), keys.tasteAnchor(userId)], [limit]);
      if (anchor === null) return [];
      const out = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        out.push({ tag: flat[i]!, weight: decayedWeight(Number(flat[i + 1]), Number(anchor), now, limits.tasteHalfLifeMs) });
      }
      return out;
    },
    async clickedAmong(userId, tweetIds) {
      if (tweetIds.length === 0) return [];
      const scores = await redis.zmscore(keys.clicked(userId), ...tweetIds);
      return scores.map((s) => s !== null);
    },
    async popular(limit) {
      const flat = await redis.zrange(keys.popular(), 0, limit - 1, 'REV', 'WITHSCORES');
      const top = Number(flat[1] ?? 0);
      const out = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ tweetId: flat[i]!, popularity: top > 0 ? Number(flat[i + 1]) / top : 0 });
      return out;
    },
  };
}
