import { notFound } from '../domain/errors.js';
import { makeEvent, type EventPublisher, type TweetEvent } from '../domain/events.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { refuseAcrossBlock } from '../domain/relations/block-refusal.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { Tweet } from '../domain/types.js';
import { validateId } from '../domain/validation.js';

export interface RepostCommands {
  /**
   * Spends a unit of the user's write budget (RATE_LIMITED when spent), then reposts the tweet:
   * records the reposter in the tweet's reposters (repostCount changes at once) and publishes
   * `repost.created` to `tweets` keyed by the reposter, whose fanout group delivers the tweet to
   * the reposter's followers. Idempotent: reposting a tweet again changes and publishes nothing.
   * If the publish fails the repost is removed again and the error propagates. Returns the tweet.
   * BAD_USER_INPUT for a malformed id; NOT_FOUND for an unknown or deleted tweet and for one
   * moderation hides (the author's own included: a hidden tweet is not spread); BLOCKED when a
   * block stands between the user and the author, either way. Nothing is stored when it throws.
   */
  repost(userId: string, tweetId: string): Promise<Tweet>;
  /**
   * Spends a unit of the write budget, removes the user's repost and publishes `repost.removed`;
   * home timelines stop showing the tweet through this user at once. Idempotent (no repost: nothing
   * changes or is published). BAD_USER_INPUT for a malformed id, NOT_FOUND for an unknown or deleted tweet.
   */
  unrepost(userId: string, tweetId: string): Promise<Tweet>;
}

export function createRepostCommands(deps: {
  tweets: Pick<TweetRepository, 'getMany'>;
  reposts: Pick<RepostStore, 'add' | 'remove'>;
  relations: Pick<RelationStore, 'blockStates'>;
  events: EventPublisher;
  writeBudget: RateLimiter;
  clock?: () => number;
}): RepostCommands {
  const clock = deps.clock ?? Date.now;

  async function stored(tweetId: string): Promise<Tweet> {
    validateId(tweetId, 'id');
    const [tweet] = await deps.tweets.getMany([tweetId]);
    if (!tweet) throw notFound(`tweet ${tweetId} not found (unknown or deleted)`);
    return tweet;
  }

  /** The record the event carries: what tweet-store stored, without what other groups wrote beside it. */
  const recordOf = ({ id, authorId, text, createdAt, replyTo, mentionIds }: Tweet) => ({
    id,
    authorId,
    text,
    createdAt,
    ...(replyTo ? { replyTo } : {}),
    ...(mentionIds && mentionIds.length > 0 ? { mentionIds } : {}),
  });

  return {
    async repost(userId, tweetId) {
      await withinRateLimit(deps.writeBudget, userId, 'requests');
      const tweet = await stored(tweetId);
      if (tweet.moderation?.flagged) throw notFound(`tweet ${tweetId} not found (unknown or deleted)`);
      if (tweet.authorId !== userId) {
        const [state] = await deps.relations.blockStates(userId, [tweet.authorId]);
        refuseAcrossBlock(state, 'the author of this tweet', 'repost', 'id');
      }
      const repostedAt = clock();
      const { added, deleted } = await deps.reposts.add(tweetId, userId, repostedAt);
      if (deleted) throw notFound(`tweet ${tweetId} not found (unknown or deleted)`);
      if (added) {
        const event = makeEvent<TweetEvent>('repost.created', { reposterId: userId, tweet: recordOf(tweet), repostedAt });
        try {
          await deps.events.publish('tweets', userId, event);
        } catch (err) {
          await deps.reposts.remove(tweetId, userId);
          throw err;
        }
      }
      return tweet;
    },
    async unrepost(userId, tweetId) {
      await withinRateLimit(deps.writeBudget, userId, 'requests');
      const tweet = await stored(tweetId);
      const at = await deps.reposts.remove(tweetId, userId);
      if (at !== null) {
        const event = makeEvent<TweetEvent>('repost.removed', { reposterId: userId, tweetId, authorId: tweet.authorId });
        try {
          await deps.events.publish('tweets', userId, event);
        } catch (err) {
          await deps.reposts.add(tweetId, userId, at);
          throw err;
        }
      }
      return tweet;
    },
  };
}
