import { RetryLaterError } from '../domain/errors.js';
import { SignalEvent } from '../domain/events.js';
import type { TasteStore } from '../domain/ranking/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { Tweet } from '../domain/types.js';
import { defineConsumer } from './definition.js';

/**
 * Group `taste`: learns each user's taste from their signals on `clicks` (domain/events.ts).
 * A click or like adds the tweet's tags (decayed weights, by the configured weight of its kind)
 * and counts them for reasons; a click also goes into the user's clicked set and the popular set;
 * an unlike takes its like back; "not interested" subtracts from the tweet's tags and author and
 * hides the tweet; a tag removal and chosen interests are applied as the API applied them.
 *
 * A signal on a tweet the tagger has not reached yet throws RetryLaterError, so the runner tries it
 * again later instead of losing it; one on a tweet deleted meanwhile teaches nothing about tags.
 * Idempotent: the store counts each signal once (clicks once per dedupe window), so redelivery
 * never double-counts.
 */
export function tasteConsumer(deps: { tweets: TweetRepository; taste: TasteStore }) {
  /** The tweet's tags; null when the tweet is gone; RetryLaterError while it is not tagged yet. */
  async function tagsOf(tweetId: string): Promise<readonly string[] | null> {
    const [tweet]: (Tweet | null)[] = await deps.tweets.getMany([tweetId]);
    if (!tweet) return null;
    if (!tweet.tags) throw new RetryLaterError(`tweet ${tweetId} is not tagged yet`);
    return tweet.tags.tags;
  }

  return defineConsumer<SignalEvent>({
    group: 'taste',
    topic: 'clicks',
    schema: SignalEvent,
    async handle(event, ctx) {
      const learned = (counted: boolean, what: string, extra: object = {}) =>
        ctx.log.debug({ userId: event.data.userId, ...extra, counted }, counted ? `${what} learned` : `${what} already learned or no longer true`);
      switch (event.type) {
        case 'click.recorded': {
          const { userId, tweetId, clickedAt } = event.data;
          const tags = await tagsOf(tweetId);
          if (!tags) return void ctx.log.debug({ userId, tweetId }, 'clicked tweet is gone; nothing to learn');
          return learned(await deps.taste.recordClick({ userId, tweetId, tags, at: clickedAt }), 'click', { tweetId, tags });
        }
        case 'tweet.liked': {
          const { userId, tweetId, authorId, likedAt } = event.data;
          const tags = await tagsOf(tweetId);
          if (!tags) return void ctx.log.debug({ userId, tweetId }, 'liked tweet is gone; nothing to learn');
          return learned(await deps.taste.learnLike({ userId, tweetId, authorId, tags, at: likedAt }), 'like', { tweetId, tags });
        }
        case 'tweet.unliked': {
          const { userId, tweetId, authorId, likedAt } = event.data;
          // A like is learned only once its tweet is tagged, so an untagged or gone tweet has nothing to take back but the record.
          const [tweet] = await deps.tweets.getMany([tweetId]);
          const tags = tweet?.tags?.tags ?? [];
          return learned(await deps.taste.unlearnLike({ userId, tweetId, authorId, tags, at: likedAt }), 'unlike', { tweetId, tags });
        }
        case 'tweet.not_interested': {
          const { userId, tweetId, authorId, at } = event.data;
          // A tweet deleted since still weighs its author down.
          const tags = (await tagsOf(tweetId)) ?? [];
          return learned(await deps.taste.learnNotInterested({ userId, tweetId, authorId, tags, at }), 'not interested', { tweetId, tags });
        }
        case 'taste.tag_removed': {
          const { userId, tag, at } = event.data;
          await deps.taste.removeTag(userId, tag, at);
          return learned(true, 'tag removal', { tag });
        }
        case 'taste.interests_set': {
          const { userId, tags, at } = event.data;
          return learned(await deps.taste.setInterests(userId, tags, at), 'chosen interests', { tags });
        }
      }
    },
  });
}
