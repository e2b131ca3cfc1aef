import { FOLLOWER_WALK_LUA } from './follower-walk.js';

/**
 * The Lua of TimelineStore (timeline-store.ts), kept apart so the store reads in one sitting.
 *
 * Activity, as every script here keeps it: a user's last-seen record (keys.lastSeen, in the slot
 * of their home timeline) holds the unix ms they last read or posted, negated while their timeline
 * waits for a rebuild. A home timeline exists only while its owner is active: whoever creates one
 * sets it to expire a window (TIMELINE_ACTIVE_DAYS) after its owner was last seen, and every
 * refresh of the record moves that expiry along. So a write that finds a timeline knows its owner
 * is active without reading the record, and only a follower without one costs a GET; a user with
 * no record at all (never seen: older data, a brand-new account) is recorded as seen now.
 */

/**
 * `deliver(home, seenKey, score, id, cap, now, cutoff, window, nx)`: adds the tweet to one
 * follower's home timeline if the follower is active, trimming to the cap; true if written (or,
 * with `nx`, already there: a repost never moves nor repeats an entry, original or earlier
 * repost). ZCARD first: O(1), and it is both the existence test and the cap check. `seenKey()` names the last-seen record: it
 * is built only for a follower without a timeline (string building is a good part of a delivery).
 */
const DELIVER_LUA = `
local function put(home, score, id, nx)
  if nx then redis.call('ZADD', home, 'NX', score, id) else redis.call('ZADD', home, score, id) end
end
local function deliver(home, seenKey, score, id, cap, now, cutoff, window, nx)
  local n = redis.call('ZCARD', home)
  if n > 0 then
    put(home, score, id, nx)
    if n >= cap then redis.call('ZREMRANGEBYRANK', home, 0, -(cap + 1)) end
    return true
  end
  local seen = seenKey()
  local v = redis.call('GET', seen)
  local at
  if v then
    at = math.abs(tonumber(v) or 0)
  else
    at = now
    redis.call('SET', seen, now)
  end
  if at < cutoff then return false end
  put(home, score, id, nx)
  redis.call('PEXPIREAT', home, at + window)
  return true
end
`;

/**
 * KEYS: home timeline and last-seen record of each follower, in pairs, all in one slot. ARGV:
 * score, tweet id, cap, now, window (ms), '1' to add only where absent (a repost) or ''. Returns
 * the 1-based pair numbers written (the active followers). The cluster path: callers group the
 * pairs by slot.
 */
export const DELIVER_TO_FOLLOWERS = `${DELIVER_LUA}
local score, id, cap, now, window = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local nx = ARGV[6] == '1'
local cutoff = now - window
local written = {}
for i = 1, #KEYS, 2 do
  local seen = KEYS[i + 1]
  if deliver(KEYS[i], function() return seen end, score, id, cap, now, cutoff, window, nx) then written[#written + 1] = (i + 1) / 2 end
end
return written
`;

/**
 * One chunk of a fan-out, entirely inside Redis: walks the author's follower set (KEYS[1]) from a
 * position, writes the tweet into every active follower's home timeline, and checks the live
 * listeners' heartbeat keys, so no follower id crosses the network. The keys it builds (from the
 * prefixes it is given, which keys.ts makes) are not declared: hence no-cluster, which Redis
 * enforces. KEYS[2…]: sorted sets of users who must not receive it (those who muted the author or
 * are in a block with them, scored by when): a follower found in one with a time at or before
 * the tweet's is skipped; empty sets cost one EXISTS per chunk. ARGV: tweet id, score, cap, from,
 * to, after score, after member, limit, now, window, then the prefix and suffix of home timeline,
 * last-seen and heartbeat keys, then for a reply the follower set of the author replied to and
 * that author's id ('' and '' otherwise): a reply reaches only followers who follow that author
 * too, and that author; then '1' for a repost ('' otherwise: the entry is added only where absent,
 * `score` being the repost's time) and a user who never receives it (a repost's original author,
 * or ''), then the follower set of that author for a repost ('' otherwise): their followers have
 * the tweet as an original (or, for a celebrity, merged at read time) and are skipped.
 * Returns {covered, delivered, last score, last member, done (1/0), listened ids…}.
 */
export const FAN_OUT_CHUNK = `#!lua flags=no-cluster
${FOLLOWER_WALK_LUA}
${DELIVER_LUA}
local id, score, cap = ARGV[1], ARGV[2], tonumber(ARGV[3])
local limit, now, window = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local homeP, homeS, seenP, seenS, liveP, liveS = ARGV[11], ARGV[12], ARGV[13], ARGV[14], ARGV[15], ARGV[16]
local alsoFollowing, repliedTo = ARGV[17], ARGV[18]
local nx, skip, originalFollowers = ARGV[19] == '1', ARGV[20] or '', ARGV[21] or ''
local function hasOriginal(follower)
  return originalFollowers ~= '' and redis.call('ZSCORE', originalFollowers, follower) ~= false
end
local cutoff = now - window
local ids, lastScore, done = walk(KEYS[1], ARGV[4], ARGV[5], ARGV[6], ARGV[7], limit)
local function reaches(follower)
  if alsoFollowing == nil or alsoFollowing == '' or follower == repliedTo then return true end
  return redis.call('ZSCORE', alsoFollowing, follower) ~= false
end
local excluding = {}
for k = 2, #KEYS do
  if redis.call('EXISTS', KEYS[k]) == 1 then excluding[#excluding + 1] = KEYS[k] end
end
local at = tonumber(score)
local function excluded(follower)
  for k = 1, #excluding do
    local since = redis.call('ZSCORE', excluding[k], follower)
    if since and tonumber(since) <= at then return true end
  end
  return false
end
local active = {}
local f
local function seenKey() return seenP .. f .. seenS end
for i = 1, #ids do
  f = ids[i]
  if f ~= skip and reaches(f) and not excluded(f) and not hasOriginal(f) and deliver(homeP .. f .. homeS, seenKey, score, id, cap, now, cutoff, window, nx) then active[#active + 1] = f end
end
local reply = {#ids, #active, lastScore or '', ids[#ids] or '', done and 1 or 0}
-- Heartbeats in batches: unpack has a stack limit.
for start = 1, #active, 1000 do
  local batch = {}
  for i = start, math.min(start + 999, #active) do batch[#batch + 1] = liveP .. active[i] .. liveS end
  local live = redis.call('MGET', unpack(batch))
  for j = 1, #batch do
    if live[j] then reply[#reply + 1] = active[start + j - 1] end
  end
end
return reply
`;

/**
 * KEYS: the author's home timeline and last-seen record. ARGV: score (the tweet's time), tweet id,
 * cap, window. Posting is activity at the tweet's time; an author who had been inactive at that
 * time is marked for a rebuild (their timeline expired), which their next read starts.
 */
export const ADD_OWN_TWEET = `
local score, id, cap, window = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local v = tonumber(redis.call('GET', KEYS[2]) or '')
local at = score
if v == nil then
  redis.call('SET', KEYS[2], score)
elseif v < 0 then
  at = math.max(-v, score)
  redis.call('SET', KEYS[2], -at)
elseif v < score - window then
  redis.call('SET', KEYS[2], -score)
else
  at = math.max(v, score)
  redis.call('SET', KEYS[2], at)
end
redis.call('ZADD', KEYS[1], score, id)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(cap + 1))
redis.call('PEXPIREAT', KEYS[1], at + window)
return 1
`;

/**
 * A home page read, which is the reader being seen. KEYS: home timeline, last-seen record, rebuild
 * lease. ARGV: now, window, refresh interval, lease ms, then ZRANGE's max, min and limit.
 * Returns {state, page…}: 0 whole, 1 rebuild running elsewhere, 2 rebuild needed and leased to
 * this caller (back after the window, or an earlier rebuild's lease ran out unfinished).
 * The record (and the timeline's expiry) is rewritten only when older than the refresh interval.
 */
export const READ_HOME_PAGE = `
local now, window, refresh, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local v = tonumber(redis.call('GET', KEYS[2]) or '')
local state = 0
local stamp = nil
if v ~= nil and v < 0 then
  if redis.call('SET', KEYS[3], '1', 'PX', lease, 'NX') then state = 2 else state = 1 end
  if -v < now - refresh then stamp = -now end
elseif v ~= nil and v < now - window then
  redis.call('SET', KEYS[3], '1', 'PX', lease)
  state = 2
  stamp = -now
elseif v == nil or v < now - refresh then
  stamp = now
end
if stamp then
  redis.call('SET', KEYS[2], stamp)
  redis.call('PEXPIREAT', KEYS[1], now + window)
end
local page = redis.call('ZRANGE', KEYS[1], ARGV[5], ARGV[6], 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[7], 'WITHSCORES')
table.insert(page, 1, state)
return page
`;

/**
 * Ends a home timeline rebuild. KEYS: home timeline, last-seen record, rebuild lease. ARGV: cap,
 * window, now, then score/id pairs to add. The record stops saying "waiting for a rebuild" and
 * the timeline expires a window after its owner was last seen.
 */
export const FINISH_HOME_REBUILD = `
local cap, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for start = 4, #ARGV, 1000 do
  local batch = {}
  for i = start, math.min(start + 999, #ARGV) do batch[#batch + 1] = ARGV[i] end
  redis.call('ZADD', KEYS[1], unpack(batch))
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(cap + 1))
local v = tonumber(redis.call('GET', KEYS[2]) or '')
local at = now
if v ~= nil then at = math.abs(v) end
redis.call('SET', KEYS[2], at)
redis.call('PEXPIREAT', KEYS[1], at + window)
redis.call('DEL', KEYS[3])
return 1
`;

/**
 * A follow merge. KEYS: home timeline, last-seen record. ARGV: cap, now, window, then score/id
 * pairs. Writes only into an active user's timeline (one never seen counts as seen now); an
 * inactive user's timeline is rebuilt, with the new followee, when they return. 1 if written.
 */
export const MERGE_INTO_HOME = `
local cap, now, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = tonumber(redis.call('GET', KEYS[2]) or '')
local at = now
if v == nil then redis.call('SET', KEYS[2], now) else at = math.abs(v) end
if at < now - window then return 0 end
for start = 4, #ARGV, 1000 do
  local batch = {}
  for i = start, math.min(start + 999, #ARGV) do batch[#batch + 1] = ARGV[i] end
  redis.call('ZADD', KEYS[1], unpack(batch))
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(cap + 1))
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIREAT', KEYS[1], at + window) end
return 1
`;
