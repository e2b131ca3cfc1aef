import { RetryLaterError } from '../domain/errors.js';
import { ClickEvent } from '../domain/events.js';
import type { TasteStore } from '../domain/ranking/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { defineConsumer } from './definition.js';

/**
 * Group `taste`: each click adds the clicked tweet's tags to the user's taste (decayed weights),
 * the tweet to the user's clicked set and to the popular set. A click on a tweet the tagger has
 * not reached yet throws RetryLaterError, so the runner tries it again later instead of the click
 * being lost; a click on a tweet deleted meanwhile teaches nothing and is done. Idempotent: the
 * store counts a click on the same tweet once per dedupe window, so redelivery never double-counts.
 */
export function tasteConsumer(deps: { tweets: TweetRepository; taste: TasteStore }) {
  return defineConsumer<ClickEvent>({
    group: 'taste',
    topic: 'clicks',
    schema: ClickEvent,
    async handle(event, ctx) {
      const { userId, tweetId, clickedAt } = event.data;
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet) {
        ctx.log.debug({ userId, tweetId }, 'clicked tweet is gone; nothing to learn');
        return;
      }
      if (!tweet.tags) throw new RetryLaterError(`tweet ${tweetId} is not tagged yet`);
      const counted = await deps.taste.recordClick({ userId, tweetId, tags: tweet.tags.tags, at: clickedAt });
      ctx.log.debug({ userId, tweetId, tags: tweet.tags.tags, counted }, counted ? 'click learned' : 'repeated click ignored');
    },
  });
}
