import { forbidden, notFound } from '../domain/errors.js';
import { makeEvent, type TweetEvent } from '../domain/events.js';
import type { EventPublisher } from '../domain/events.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { snowflakeTime, type SnowflakeGenerator } from '../domain/snowflake.js';
import type { Tweet } from '../domain/types.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { validateId, validateTweetText } from '../domain/validation.js';
import { mentionedHandles } from '../domain/mentions.js';
import type { UserRepository } from '../domain/users/ports.js';

/** Posting, deleting, following and unfollowing spend one budget per user (MUTATION_RATE_LIMIT a minute), before any other work. */
export interface TweetCommands {
  /**
   * Spends a unit of the author's write budget (RATE_LIMITED when spent), validates and cleans the text (validation.ts), assigns a Snowflake id and publishes `tweet.created` keyed by author; resolves once
   * the broker acknowledged it. Stores nothing itself: the tweet-store group does. `@handle`s of
   * existing users (at most `mentionsPerTweet` distinct ones, the author excluded) go into the
   * event as `mentionIds`, from which the notifications group notifies them; other `@words` are text.
   */
  postTweet(authorId: string, text: string): Promise<Tweet>;
  /** Spends a unit of the write budget, then publishes `tweet.deleted`. NOT_FOUND for unknown ids, FORBIDDEN for someone else's tweet. */
  deleteTweet(userId: string, tweetId: string): Promise<void>;
}

export function createTweetCommands(deps: {
  ids: SnowflakeGenerator;
  tweets: TweetRepository;
  users: Pick<UserRepository, 'findIdByHandle'>;
  events: EventPublisher;
  writeBudget: RateLimiter;
  mentionsPerTweet: number;
}): TweetCommands {
  /** Ids of the existing users the text mentions, in order, the author left out; one lookup each, sent together. */
  async function mentionIdsIn(text: string, authorId: string): Promise<string[]> {
    const handles = mentionedHandles(text, deps.mentionsPerTweet);
    const ids = await Promise.all(handles.map((h) => deps.users.findIdByHandle(h)));
    return [...new Set(ids.filter((id): id is string => id !== null && id !== authorId))];
  }

  return {
    async postTweet(authorId, text) {
      await withinRateLimit(deps.writeBudget, authorId, 'requests');
      const cleaned = validateTweetText(text);
      const id = deps.ids.next();
      const tweet: Tweet = { id, authorId, text: cleaned, createdAt: new Date(snowflakeTime(id)).toISOString() };
      const mentionIds = await mentionIdsIn(cleaned, authorId);
      const record = mentionIds.length > 0 ? { ...tweet, mentionIds } : tweet;
      await deps.events.publish('tweets', authorId, makeEvent<TweetEvent>('tweet.created', { tweet: record }));
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
