import type { RedisClient } from './client.js';
import type { RateLimiter } from '../../domain/rate-limits/ports.js';
import { keys } from './keys.js';
import { defineScript } from './script.js';

/**
 * KEYS: counter. ARGV: limit, window ms. Returns {1, 0} when allowed, {0, ms until reset} when not.
 * A refusal writes nothing, so a flood of refused requests leaves no trace.
 */
const TAKE = defineScript<[number, number]>(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[2]) end
  return { 0, ttl }
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return { 1, 0 }
`);

/**
 * A fixed window per subject starting at its first request: at most `limit` requests per window.
 * Simple and one round trip; a subject can get up to twice the limit across a window boundary,
 * which is fine for stopping floods.
 */
export function createRateLimiter(redis: RedisClient, options: { action: string; limit: number; windowMs: number }): RateLimiter {
  return {
    async take(subject) {
      const [allowed, retryInMs] = await TAKE(redis, [keys.rateLimit(options.action, subject)], [options.limit, options.windowMs]);
      return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)) };
    },
  };
}
