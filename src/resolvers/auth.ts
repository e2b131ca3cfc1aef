import { rateLimited, unauthenticated } from '../domain/errors.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import type { RequestContext } from '../graphql/context.js';

/** The signed-in user's id, or UNAUTHENTICATED. */
export function requireViewer(ctx: RequestContext): string {
  if (ctx.authError) throw ctx.authError;
  if (!ctx.viewerId) throw unauthenticated();
  return ctx.viewerId;
}

/**
 * Spends one unit of `subject`'s budget on `limiter`, or throws RATE_LIMITED with the seconds until
 * the next is allowed. Runs before validation and before anything is produced, so a flood costs
 * one Redis call per request and changes nothing.
 */
export async function withinRateLimit(limiter: RateLimiter, subject: string, what: string): Promise<void> {
  const taken = await limiter.take(subject);
  if (!taken.allowed) throw rateLimited(`too many ${what}: try again in ${taken.retryAfterSeconds} s`, taken.retryAfterSeconds);
}
