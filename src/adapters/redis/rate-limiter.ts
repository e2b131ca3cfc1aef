import type { RedisClient } from './client.js';
import type { KnownAddresses, RateDecision, RateLimiter } from '../../domain/rate-limits/ports.js';
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

/** KEYS: counter. ARGV: limit, window ms. As TAKE, but takes nothing. */
const PEEK = defineScript<[number, number]>(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[2]) end
  return { 0, ttl }
end
return { 1, 0 }
`);

const decision = ([allowed, retryInMs]: [number, number]): RateDecision =>
  allowed === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)) };

/**
 * A fixed window per subject starting at its first request: at most `limit` requests per window.
 * Simple and one round trip; a subject can get up to twice the limit across a window boundary,
 * which is fine for stopping floods.
 */
export function createRateLimiter(redis: RedisClient, options: { action: string; limit: number; windowMs: number }): RateLimiter {
  return {
    take: async (subject) => decision(await TAKE(redis, [keys.rateLimit(options.action, subject)], [options.limit, options.windowMs])),
    peek: async (subject) => decision(await PEEK(redis, [keys.rateLimit(options.action, subject)], [options.limit, options.windowMs])),
  };
}

/** Known sign-in addresses as one key each (`signin:known:<handle>:<address>`) that expires `days` after the last success. */
export function createKnownAddresses(redis: RedisClient, options: { days: number }): KnownAddresses {
  const ttlSeconds = options.days * 24 * 60 * 60;
  return {
    has: async (handle, address) => (await redis.exists(keys.knownSignInAddress(handle, address))) === 1,
    async remember(handle, address) {
      await redis.set(keys.knownSignInAddress(handle, address), '1', 'EX', ttlSeconds);
    },
  };
}
