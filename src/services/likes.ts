import { notFound } from '../domain/errors.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import { makeEvent, type EventPublisher, type LikeEvent, type UnlikeEvent } from '../domain/events.js';
import type { LikeStore } from '../domain/likes/ports.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { isVisibleTo, type Tweet } from '../domain/types.js';
import { validateId } from '../domain/validation.js';

export interface LikeCommands {
  /**
   * The user likes the tweet: writes the like (the count and viewerHasLiked change at once), then
   * publishes `tweet.liked` (liker, tweet, author, time) to `clicks` keyed by the user, from which
   * the taste group learns. Idempotent: liking a liked tweet writes and publishes nothing. If the
   * publish fails the like is removed again and the error propagates. Returns the tweet with its
   * new count. BAD_USER_INPUT for a malformed id, NOT_FOUND for an unknown or deleted tweet (or one
   * moderation hides from the user), RATE_LIMITED past the user's allowance (checked after the
   * tweet, so an unknown tweet leaves no trace), SERVICE_UNAVAILABLE when the broker did not acknowledge.
   */
  likeTweet(userId: string, tweetId: string): Promise<Tweet>;
  /** The inverse, with `tweet.unliked` (carrying the time of the like it undoes); the same errors. */
  unlikeTweet(userId: string, tweetId: string): Promise<Tweet>;
}

export function createLikeCommands(deps: {
  tweets: TweetRepository;
  likes: LikeStore;
  limiter: RateLimiter;
  events: EventPublisher;
  clock?: () => number;
}): LikeCommands {
  const clock = deps.clock ?? Date.now;

  async function target(userId: string, tweetId: string): Promise<Tweet> {
    validateId(tweetId, 'id');
    const [tweet] = await deps.tweets.getMany([tweetId]);
    if (!tweet || !isVisibleTo(tweet, userId)) throw notFound(`tweet ${tweetId} not found`);
    await withinRateLimit(deps.limiter, userId, 'likes');
    return tweet;
  }

  return {
    async likeTweet(userId, tweetId) {
      const tweet = await target(userId, tweetId);
      const likedAt = clock();
      const { changed, likeCount } = await deps.likes.like(userId, tweetId, likedAt);
      if (changed) {
        const event = makeEvent<LikeEvent>('tweet.liked', { userId, tweetId, authorId: tweet.authorId, likedAt });
        try {
          await deps.events.publish('clicks', userId, event);
        } catch (err) {
          await deps.likes.unlike(userId, tweetId);
          throw err;
        }
      }
      return { ...tweet, likeCount };
    },
    async unlikeTweet(userId, tweetId) {
      const tweet = await target(userId, tweetId);
      const { likedAt, likeCount } = await deps.likes.unlike(userId, tweetId);
      if (likedAt !== null) {
        const event = makeEvent<UnlikeEvent>('tweet.unliked', { userId, tweetId, authorId: tweet.authorId, likedAt, unlikedAt: clock() });
        try {
          await deps.events.publish('clicks', userId, event);
        } catch (err) {
          await deps.likes.like(userId, tweetId, likedAt);
          throw err;
        }
      }
      return { ...tweet, likeCount };
    },
  };
}
