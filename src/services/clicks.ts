import { notFound } from '../domain/errors.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import { makeEvent, type ClickEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { isVisibleTo } from '../domain/types.js';
import { validateId } from '../domain/validation.js';

export interface ClickCommands {
  /**
   * Publishes `click.recorded` keyed by the user and resolves once the broker acknowledged it; the
   * taste group learns from it asynchronously. Throws BAD_USER_INPUT for a malformed id, NOT_FOUND
   * for an unknown or deleted tweet (or one hidden from the user by moderation), RATE_LIMITED past
   * the user's allowance, SERVICE_UNAVAILABLE when the broker did not acknowledge. A refused
   * click stores and produces nothing.
   */
  recordClick(userId: string, tweetId: string): Promise<void>;
}

export function createClickCommands(deps: {
  tweets: TweetRepository;
  limiter: RateLimiter;
  events: EventPublisher;
  clock?: () => number;
}): ClickCommands {
  const clock = deps.clock ?? Date.now;
  return {
    async recordClick(userId, tweetId) {
      validateId(tweetId, 'tweetId');
      // Existence first: the limiter's counter is a write, and an unknown tweet must leave no trace.
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet || !isVisibleTo(tweet, userId)) throw notFound(`tweet ${tweetId} not found`);
      await withinRateLimit(deps.limiter, userId, 'clicks');
      await deps.events.publish('clicks', userId, makeEvent<ClickEvent>('click.recorded', { userId, tweetId, clickedAt: clock() }));
    },
  };
}
