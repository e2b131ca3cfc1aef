import type { Position } from '../../domain/cursor.js';

/**
 * The follower walk, in Lua, shared by the follow graph's read-only script and the server-side
 * fan-out script: a follower set (score = follow time) read in (follow time, id) order after a
 * position, the order Redis keeps a sorted set in.
 *
 * Why a position and not ZSCAN's cursor or a rank: a position names a member, not a place in the
 * set's memory or its count, so a follow or unfollow anywhere else never moves it. Each call
 * finds the rank of the first member after the position (ZRANK of that member when it is still
 * there with the same score, O(log N); otherwise ZCOUNT below its score and a short walk over the
 * run of equal scores), then reads by rank. Guarantee: a follower present from the first call of
 * a walk to its last is returned exactly once, in order, and a walk resumed from the position of
 * its last finished chunk goes on right after it; a follower who arrives during the walk is
 * returned if their position is still ahead, one who leaves before the walk reaches them is not.
 * (ZSCAN promised at least once, with repeats across a concurrent change.)
 *
 * `walk(key, lo, hi, afterScore, afterMember, limit)`: at most `limit` members after the position
 * ('' for none) whose score lies in [lo, hi) ('-inf' / '+inf' for open ends). Returns the members,
 * the last one's score (a string, as Redis prints it), and whether the range is exhausted.
 */
export const FOLLOWER_WALK_LUA = `
local function byteGreater(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end

local function rankAfter(key, s, m)
  local r = redis.call('ZRANK', key, m)
  if r and tonumber(redis.call('ZSCORE', key, m)) == tonumber(s) then return r + 1 end
  -- The member of the position left (or was followed again later): start at the first member
  -- above (s, m) in (score, member) order, members of equal score being in byte order.
  local rank = redis.call('ZCOUNT', key, '-inf', '(' .. s)
  local sn = tonumber(s)
  while true do
    local batch = redis.call('ZRANGE', key, rank, rank + 127, 'WITHSCORES')
    if #batch == 0 then return rank end
    for i = 1, #batch, 2 do
      if tonumber(batch[i + 1]) > sn or byteGreater(batch[i], m) then return rank + (i - 1) / 2 end
    end
    rank = rank + #batch / 2
  end
end

local function walk(key, lo, hi, afterScore, afterMember, limit)
  local first = 0
  if lo ~= '-inf' then first = redis.call('ZCOUNT', key, '-inf', '(' .. lo) end
  if afterScore ~= '' then first = math.max(first, rankAfter(key, afterScore, afterMember)) end
  local stop
  if hi == '+inf' then stop = redis.call('ZCARD', key) else stop = redis.call('ZCOUNT', key, '-inf', '(' .. hi) end
  local last = math.min(first + limit, stop) - 1
  if last < first then return {}, nil, true end
  local ids = redis.call('ZRANGE', key, first, last)
  return ids, redis.call('ZSCORE', key, ids[#ids]), last + 1 >= stop
end
`;

/** A follow-time bound of a walk as the script takes it: null is open. */
export function scoreBound(bound: number | null, open: '-inf' | '+inf'): string {
  return bound === null ? open : String(bound);
}

/** The position arguments of a walk: none, or the last (follow time, id) handed out. */
export function positionArgs(after: Position | null): [string, string] {
  return after ? [String(after.score), after.member] : ['', ''];
}
