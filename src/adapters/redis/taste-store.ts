import type { Config } from '../../config/index.js';
import type { RedisClient } from './client.js';
import { decayedWeight, FORGET_BELOW, REBASE_AFTER_HALF_LIVES } from '../../domain/ranking/decay.js';
import type { LearnedSignal, TasteStore } from '../../domain/ranking/ports.js';
import { tasteProfile, type SignalCounts } from '../../domain/ranking/taste.js';
import type { TagWeight } from '../../domain/ranking/types.js';
import { keys } from './keys.js';
import { defineScript, type ScriptArg } from './script.js';
import { isCluster } from './slots.js';

/**
 * Tags per user are bounded by the vocabulary (50); the cap is a guard should that ever change,
 * so the set stays a one-read size.
 */
const TASTE_CAP = 64;
/** Authors a user's "not interested" weighed down, kept per user (the strongest). */
const AUTHORS_CAP = 500;

/**
 * Lua shared by the user's scripts. KEYS (all in the user's slot): 1 taste, 2 taste anchor,
 * 3 authors, 4 counts, 5 learned, 6 prefs, 7 hidden, 8 likes, 9 clicked. ARGV 1-9: signal time
 * (ms), taste half-life (ms), rebase exponent, forget-below, then the caps of taste, authors,
 * learned, hidden and clicked; each script's own arguments from ARGV[10].
 *
 * Decay as in domain/ranking/decay.ts: increments are scaled to the anchor that taste and authors
 * share; when one would exceed 2^rebase both sets are rescaled to a new anchor at the signal time.
 */
const PRELUDE = `
local at = tonumber(ARGV[1])
local halfLife, rebase, forget = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tasteCap, authorsCap, learnedCap = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local hiddenCap, clickedCap = tonumber(ARGV[8]), tonumber(ARGV[9])

local function rescale(set, f)
  local all = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local s = tonumber(all[i + 1]) * f
    if math.abs(s) < forget then redis.call('ZREM', set, all[i]) else redis.call('ZADD', set, s, all[i]) end
  end
end

-- What a weight observed at t is multiplied by when stored.
local function scaleAt(t)
  local anchor = tonumber(redis.call('GET', KEYS[2]))
  if not anchor then
    redis.call('SET', KEYS[2], t)
    return 1
  end
  local e = (t - anchor) / halfLife
  if e <= rebase then return 2 ^ e end
  local f = 2 ^ (-e)
  rescale(KEYS[1], f)
  rescale(KEYS[3], f)
  redis.call('SET', KEYS[2], t)
  return 1
end

local function argTags(from)
  local tags = {}
  for i = from, #ARGV do tags[#tags + 1] = ARGV[i] end
  return tags
end

-- The tags not removed at or after t: a removal is never undone by an older signal.
local function kept(tags, t)
  local out = {}
  for _, tag in ipairs(tags) do
    local removed = redis.call('HGET', KEYS[6], 'removed:' .. tag)
    if not removed or tonumber(removed) < t then out[#out + 1] = tag end
  end
  return out
end

local function learnTags(tags, inc, countPrefix)
  for _, tag in ipairs(tags) do
    redis.call('ZINCRBY', KEYS[1], inc, tag)
    if countPrefix then redis.call('HINCRBY', KEYS[4], countPrefix .. tag, 1) end
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tasteCap + 1))
end

local function remember(member, t)
  redis.call('ZADD', KEYS[5], t, member)
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -(learnedCap + 1))
end

local function hideTweet(tweet)
  local added = redis.call('ZADD', KEYS[7], 'NX', at, tweet)
  redis.call('ZREMRANGEBYRANK', KEYS[7], 0, -(hiddenCap + 1))
  return added
end
`;

/** ARGV from 10: tweet, dedupe window ms, click weight, popular half-life, popular cap, tags… Returns 0 inside the window. */
const CLICK_USER_PART = `
local tweet, window, w = ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12])
local last = redis.call('ZSCORE', KEYS[9], tweet)
if last and math.abs(at - tonumber(last)) < window then return 0 end
local tags = kept(argTags(15), at)
if #tags > 0 then learnTags(tags, w * scaleAt(at), 'click:') end
redis.call('ZADD', KEYS[9], 'GT', at, tweet)
redis.call('ZREMRANGEBYRANK', KEYS[9], 0, -(clickedCap + 1))
`;

/** The popular set and its anchor at KEYS[p], KEYS[p+1]: the clicked tweet gains one, decayed like taste. */
const popularPart = (p: number) => `
local set, anchorKey, popularHalfLife, cap = KEYS[${p}], KEYS[${p + 1}], tonumber(ARGV[13]), tonumber(ARGV[14])
local anchor = tonumber(redis.call('GET', anchorKey))
if not anchor then
  anchor = at
  redis.call('SET', anchorKey, at)
end
local e = (at - anchor) / popularHalfLife
if e > rebase then
  local f = 2 ^ (-e)
  local all = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local s = tonumber(all[i + 1]) * f
    if s < forget then redis.call('ZREM', set, all[i]) else redis.call('ZADD', set, s, all[i]) end
  end
  redis.call('SET', anchorKey, at)
  e = 0
end
redis.call('ZINCRBY', set, 2 ^ e, ARGV[10])
redis.call('ZREMRANGEBYRANK', set, 0, -(cap + 1))
`;

/** One server: the user's keys, then popular and its anchor; the whole click at once. */
const RECORD_CLICK = defineScript<number>(`${PRELUDE}${CLICK_USER_PART}${popularPart(10)}return 1`);
/** Cluster, the user's slot. */
const RECORD_USER_CLICK = defineScript<number>(`${PRELUDE}${CLICK_USER_PART}return 1`);
/** Cluster, the popular slot: KEYS popular, popular anchor. */
const RECORD_POPULAR_CLICK = defineScript<number>(`${PRELUDE}${popularPart(1)}return 1`);

/** ARGV from 10: tweet, like weight, tags… Learns the like at `at` if the user still likes the tweet since then, once. */
const LEARN_LIKE = defineScript<number>(`${PRELUDE}
local tweet, w = ARGV[10], tonumber(ARGV[11])
local edge = redis.call('ZSCORE', KEYS[8], tweet)
if not edge or tonumber(edge) ~= at then return 0 end
if redis.call('ZSCORE', KEYS[5], 'like:' .. tweet) then return 0 end
local tags = kept(argTags(12), at)
if #tags > 0 then learnTags(tags, w * scaleAt(at), 'like:') end
remember('like:' .. tweet, at)
return 1
`);

/** ARGV from 10: tweet, like weight, tags… (ARGV[1] is the like's time). Subtracts exactly what the like added. */
const UNLEARN_LIKE = defineScript<number>(`${PRELUDE}
local member = 'like:' .. ARGV[10]
local learnedAt = redis.call('ZSCORE', KEYS[5], member)
if not learnedAt or tonumber(learnedAt) ~= at then return 0 end
redis.call('ZREM', KEYS[5], member)
local anchor = tonumber(redis.call('GET', KEYS[2]))
if not anchor then return 1 end
-- The like's increment rescaled by every rebase since, as the stored weights were.
local dec = tonumber(ARGV[11]) * 2 ^ ((at - anchor) / halfLife)
for _, tag in ipairs(kept(argTags(12), at)) do
  local left = tonumber(redis.call('ZINCRBY', KEYS[1], -dec, tag))
  if math.abs(left) <= dec * 1e-9 then redis.call('ZREM', KEYS[1], tag) end
  if redis.call('HINCRBY', KEYS[4], 'like:' .. tag, -1) <= 0 then redis.call('HDEL', KEYS[4], 'like:' .. tag) end
end
return 1
`);

/** ARGV from 10: tweet, author, author weight (≤ 0), tag weight (≤ 0), tags… Hides the tweet and learns the signal once. */
const LEARN_NOT_INTERESTED = defineScript<number>(`${PRELUDE}
local tweet, author, w, tagWeight = ARGV[10], ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
hideTweet(tweet)
if redis.call('ZSCORE', KEYS[5], 'hide:' .. tweet) then return 0 end
local scale = scaleAt(at)
local tags = kept(argTags(14), at)
if #tags > 0 then learnTags(tags, tagWeight * scale, nil) end
redis.call('ZINCRBY', KEYS[3], w * scale, author)
-- The most negative authors have the lowest ranks: those are kept.
redis.call('ZREMRANGEBYRANK', KEYS[3], authorsCap, -1)
remember('hide:' .. tweet, at)
return 1
`);

/** ARGV[10]: tweet. Returns 1 when it was not hidden yet. */
const HIDE = defineScript<number>(`${PRELUDE}return hideTweet(ARGV[10])`);

/** ARGV[10]: tag. */
const REMOVE_TAG = defineScript<number>(`${PRELUDE}
local tag = ARGV[10]
local removed = redis.call('HGET', KEYS[6], 'removed:' .. tag)
if not removed or tonumber(removed) < at then redis.call('HSET', KEYS[6], 'removed:' .. tag, at) end
redis.call('ZREM', KEYS[1], tag)
redis.call('HDEL', KEYS[4], 'click:' .. tag, 'like:' .. tag)
local chosen = redis.call('HGET', KEYS[6], 'chosen:' .. tag)
if chosen and tonumber(chosen) <= at then redis.call('HDEL', KEYS[6], 'chosen:' .. tag) end
return 1
`);

/** ARGV from 10: the chosen tags. Replaces them unless a later choice is stored. */
const SET_INTERESTS = defineScript<number>(`${PRELUDE}
local current = redis.call('HGET', KEYS[6], 'chosenAt')
if current and tonumber(current) > at then return 0 end
for _, field in ipairs(redis.call('HKEYS', KEYS[6])) do
  if string.sub(field, 1, 7) == 'chosen:' then redis.call('HDEL', KEYS[6], field) end
end
for i = 10, #ARGV do redis.call('HSET', KEYS[6], 'chosen:' .. ARGV[i], at) end
redis.call('HSET', KEYS[6], 'chosenAt', at)
return 1
`);

/** KEYS: taste, anchor, authors, counts, prefs. ARGV: authors to read. Read together, so a rebase between them cannot skew weights. */
const PROFILE = defineScript<[string | null, string[], string[], string[], string[]]>(`
return {
  redis.call('GET', KEYS[2]),
  redis.call('ZRANGE', KEYS[1], 0, -1, 'REV', 'WITHSCORES'),
  redis.call('ZRANGE', KEYS[3], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES'),
  redis.call('HGETALL', KEYS[4]),
  redis.call('HGETALL', KEYS[5])
}
`);

function pairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

const userKeys = (userId: string) => [
  keys.taste(userId),
  keys.tasteAnchor(userId),
  keys.tasteAuthors(userId),
  keys.tasteCounts(userId),
  keys.tasteLearned(userId),
  keys.tastePrefs(userId),
  keys.tasteHidden(userId),
  keys.likes(userId),
  keys.clicked(userId),
];

/**
 * Taste, clicked, hidden and popular sets in Redis; the only module touching `taste:*`, `clicked:*`
 * and `{popular}:*`. Every signal is learned by one Lua script over the user's keys (one slot,
 * `{userId}`), which checks first whether it already counted, so a redelivered or repeated signal
 * is counted everywhere or nowhere. A click also bumps the popular set: on one server in the same
 * script; on a cluster, where the popular set is in another slot, by a second script after the
 * user's counted it (popular is then at most once: a crash between the two loses that click's
 * popularity). Every set is capped on write.
 */
export function createTasteStore(redis: RedisClient, settings: Config['taste']): TasteStore {
  const halfLifeMs = settings.halfLifeSeconds * 1000;
  const weights = settings.signalWeights;
  const common = (at: number): ScriptArg[] => [
    at,
    halfLifeMs,
    REBASE_AFTER_HALF_LIVES,
    FORGET_BELOW,
    TASTE_CAP,
    AUTHORS_CAP,
    settings.clickedCap,
    settings.hiddenCap,
    settings.clickedCap,
  ];
  const run = (script: typeof LEARN_LIKE, userId: string, at: number, args: readonly ScriptArg[]) => script(redis, userKeys(userId), [...common(at), ...args]);
  const decayed = (flat: readonly string[], anchor: number, now: number) =>
    pairs(flat).map(([member, score]) => ({ member, weight: decayedWeight(Number(score), anchor, now, halfLifeMs) }));

  const store: TasteStore = {
    async recordClick({ userId, tweetId, tags, at }) {
      const args = [
        ...common(at),
        tweetId,
        settings.dedupeWindowSeconds * 1000,
        weights.click,
        settings.popularHalfLifeSeconds * 1000,
        settings.popularCap,
        ...new Set(tags),
      ];
      const popularKeys = [keys.popular(), keys.popularAnchor()];
      if (!isCluster(redis)) return (await RECORD_CLICK(redis, [...userKeys(userId), ...popularKeys], args)) === 1;
      if ((await RECORD_USER_CLICK(redis, userKeys(userId), args)) !== 1) return false;
      await RECORD_POPULAR_CLICK(redis, popularKeys, args);
      return true;
    },
    learnLike: async (s: LearnedSignal) => (await run(LEARN_LIKE, s.userId, s.at, [s.tweetId, weights.like, ...new Set(s.tags)])) === 1,
    unlearnLike: async (s) => (await run(UNLEARN_LIKE, s.userId, s.at, [s.tweetId, weights.like, ...new Set(s.tags)])) === 1,
    learnNotInterested: async (s) =>
      (await run(LEARN_NOT_INTERESTED, s.userId, s.at, [s.tweetId, s.authorId, weights.notInterested, weights.notInterestedTag, ...new Set(s.tags)])) === 1,
    hide: async (userId, tweetId, at) => (await run(HIDE, userId, at, [tweetId])) === 1,
    async unhide(userId, tweetId) {
      await redis.zrem(keys.tasteHidden(userId), tweetId);
    },
    async removeTag(userId, tag, at) {
      await run(REMOVE_TAG, userId, at, [tag]);
    },
    setInterests: async (userId, tags, at) => (await run(SET_INTERESTS, userId, at, [...new Set(tags)])) === 1,
    async profile(userId, now) {
      const profileKeys = [keys.taste(userId), keys.tasteAnchor(userId), keys.tasteAuthors(userId), keys.tasteCounts(userId), keys.tastePrefs(userId)];
      const [anchorRaw, tasteFlat, authorsFlat, countsFlat, prefsFlat] = await PROFILE(redis, profileKeys, [AUTHORS_CAP]);
      const anchor = Number(anchorRaw);
      const learned: TagWeight[] = anchorRaw === null ? [] : decayed(tasteFlat, anchor, now).map(({ member, weight }) => ({ tag: member, weight }));
      const authors = new Map(anchorRaw === null ? [] : decayed(authorsFlat, anchor, now).map(({ member, weight }) => [member, weight] as const));
      const counts = new Map<string, SignalCounts>();
      for (const [field, value] of pairs(countsFlat)) {
        const [kind, tag] = [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1)];
        const entry = counts.get(tag) ?? { clicks: 0, likes: 0 };
        if (kind === 'click') entry.clicks = Number(value);
        else if (kind === 'like') entry.likes = Number(value);
        counts.set(tag, entry);
      }
      const chosen = pairs(prefsFlat).flatMap(([field]) => (field.startsWith('chosen:') ? [field.slice('chosen:'.length)] : []));
      return tasteProfile({ learned, counts, chosen, authors }, weights);
    },
    async topTags(userId, limit, now) {
      const { tags } = await store.profile(userId, now);
      return tags.slice(0, limit).map(({ tag, weight }) => ({ tag, weight }));
    },
    async clickedAmong(userId, tweetIds) {
      if (tweetIds.length === 0) return [];
      return (await redis.zmscore(keys.clicked(userId), ...tweetIds)).map((s) => s !== null);
    },
    async hiddenAmong(userId, tweetIds) {
      if (tweetIds.length === 0) return [];
      return (await redis.zmscore(keys.tasteHidden(userId), ...tweetIds)).map((s) => s !== null);
    },
    async popular(limit) {
      const flat = await redis.zrange(keys.popular(), 0, limit - 1, 'REV', 'WITHSCORES');
      const top = Number(flat[1] ?? 0);
      return pairs(flat).map(([tweetId, score]) => ({ tweetId, popularity: top > 0 ? Number(score) / top : 0 }));
    },
  };
  return store;
}
