import { badInput, notFound } from '../domain/errors.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import { makeEvent, type EventPublisher, type InterestsSetEvent, type NotInterestedEvent, type TagRemovedEvent } from '../domain/events.js';
import type { TasteStore } from '../domain/ranking/ports.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { isTag, TAG_VOCABULARY } from '../domain/tags/vocabulary.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { isVisibleTo } from '../domain/types.js';
import { validateId } from '../domain/validation.js';

export interface TasteEdits {
  /**
   * "Show me less of this": the tweet leaves the user's forYou at once (written before this
   * returns, read by the next ranking and page), then `tweet.not_interested` is published to
   * `clicks` keyed by the user, from which the taste group weighs the tweet's tags and author down.
   * Idempotent: a tweet already marked publishes nothing. If the publish fails the mark is removed
   * again. BAD_USER_INPUT for a malformed id, NOT_FOUND for an unknown, deleted or hidden tweet,
   * RATE_LIMITED past the user's allowance, SERVICE_UNAVAILABLE when the broker did not acknowledge.
   */
  notInterested(userId: string, tweetId: string): Promise<void>;
  /**
   * The tag stops counting at once (its weight and counts, and a chosen interest in it, are
   * removed before this returns) and signals older than now never teach it again; then
   * `taste.tag_removed` is published. Idempotent. BAD_USER_INPUT for a tag outside the vocabulary
   * (the message lists it), RATE_LIMITED, SERVICE_UNAVAILABLE (the removal stands: it is the
   * user's wish, and the next attempt publishes it).
   */
  removeTasteTag(userId: string, tag: string): Promise<void>;
  /**
   * The user's chosen interests become `tags` (all of them: an empty list clears them), stored
   * before this returns, then `taste.interests_set` is published. They add to the taste and feed
   * forYou's candidates. BAD_USER_INPUT for a tag outside the vocabulary, RATE_LIMITED,
   * SERVICE_UNAVAILABLE (the choice stands, as for removeTasteTag).
   */
  setInterests(userId: string, tags: readonly string[]): Promise<void>;
}

function validateTag(tag: string, field: string): string {
  const t = tag.trim().toLowerCase();
  if (!isTag(t)) throw badInput(field, `"${tag.slice(0, 64)}" is not a tag; the vocabulary: ${TAG_VOCABULARY.join(', ')}`);
  return t;
}

export function createTasteEdits(deps: {
  tweets: TweetRepository;
  taste: TasteStore;
  limiter: RateLimiter;
  events: EventPublisher;
  clock?: () => number;
}): TasteEdits {
  const clock = deps.clock ?? Date.now;
  async function spend(userId: string): Promise<void> {
    await withinRateLimit(deps.limiter, userId, 'taste changes');
  }

  return {
    async notInterested(userId, tweetId) {
      validateId(tweetId, 'tweetId');
      const [tweet] = await deps.tweets.getMany([tweetId]);
      if (!tweet || !isVisibleTo(tweet, userId)) throw notFound(`tweet ${tweetId} not found`);
      await spend(userId);
      const at = clock();
      if (!(await deps.taste.hide(userId, tweetId, at))) return;
      try {
        await deps.events.publish('clicks', userId, makeEvent<NotInterestedEvent>('tweet.not_interested', { userId, tweetId, authorId: tweet.authorId, at }));
      } catch (err) {
        await deps.taste.unhide(userId, tweetId);
        throw err;
      }
    },
    async removeTasteTag(userId, rawTag) {
      const tag = validateTag(rawTag, 'tag');
      await spend(userId);
      const at = clock();
      await deps.taste.removeTag(userId, tag, at);
      await deps.events.publish('clicks', userId, makeEvent<TagRemovedEvent>('taste.tag_removed', { userId, tag, at }));
    },
    async setInterests(userId, rawTags) {
      if (rawTags.length > TAG_VOCABULARY.length) throw badInput('tags', `at most ${TAG_VOCABULARY.length} tags: the vocabulary's size`);
      const tags = [...new Set(rawTags.map((t, i) => validateTag(t, `tags[${i}]`)))];
      await spend(userId);
      const at = clock();
      await deps.taste.setInterests(userId, tags, at);
      await deps.events.publish('clicks', userId, makeEvent<InterestsSetEvent>('taste.interests_set', { userId, tags, at }));
    },
  };
}
