import { rateLimited } from '../errors.js';
import type { RateLimiter } from './ports.js';

/**
 * Spends one unit of `subject`'s budget, or throws RATE_LIMITED "too many <what>: try again in N s"
 * (with retryAfterSeconds). One Redis call; a refusal changes nothing.
 */
export async function withinRateLimit(limiter: RateLimiter, subject: string, what: string): Promise<void> {
  const taken = await limiter.take(subject);
  if (!taken.allowed) throw rateLimited(`too many ${what}: try again in ${taken.retryAfterSeconds} s`, taken.retryAfterSeconds);
}
