import { forbidden, notFound } from '../domain/errors.js';
import { makeEvent, type TweetEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { snowflakeTime, type SnowflakeGenerator } from '../domain/snowflake.js';
import type { Tweet } from '../domain/types.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { validateId, validateTweetText } from '../domain/validation.js';

/** Posting, deleting, following and unfollowing spend one budget per user (MUTATION_RATE_LIMIT a minute), before any other work. */
export interface TweetCommands {
  /**
   * Spends a unit of the author's write budget (RATE_LIMITED when spent), validates and cleans the text (validation.ts), assigns a Snowflake id and publishes `tweet.created` keyed by author; resolves once
   * the broker acknowledged it. Stores nothing itself: the tweet-store group does.
   */
  postTweet(authorId: string, text: string): Promise<Tweet>;
  /** Spends a unit of the write budget, then publishes `tweet.deleted`. NOT_FOUND for unknown ids, FORBIDDEN for someone else's tweet. */
  deleteTweet(userId: string, tweetId: string): Promise<void>;
}

export function createTweetCommands(deps: { ids: SnowflakeGenerator; tweets: TweetRepository; events: EventPublisher; writeBudget: RateLimiter }): TweetCommands {
  return {
    async postTweet(authorId, text) {
      await withinRateLimit(deps.writeBudget, authorId, 'requests');
      const cleaned = validateTweetText(text);
      const id = deps.ids.next();
      const tweet: Tweet = { id, authorId, text: cleaned, createdAt: new Date(snowflakeTime(id)).toISOString() };
      await deps.events.publish('tweets', authorId, makeEvent<TweetEvent>('tweet.created', { tweet }));
      return tweet;
    },
    async deleteTweet(userId, tweetId) {
      await withinRateLimit(deps.writeBudget, userId, 'requests');
      validateId(tweetId);
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet) throw notFound(`tweet ${tweetId} not found`);
      if (tweet.authorId !== userId) throw forbidden('only the author may delete a tweet');
      await deps.events.publish('tweets', tweet.authorId, makeEvent<TweetEvent>('tweet.deleted', { id: tweetId, authorId: tweet.authorId }));
    },
  };
}
