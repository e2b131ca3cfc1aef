import { makeEvent, TweetEvent, type ModerationEvent } from '../domain/events.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { Moderation } from '../services/moderation.js';
import { defineConsumer } from './definition.js';

/**
 * Group `moderator`: checks each new tweet against the guidelines, stores the verdict beside the
 * tweet (timelines hide flagged tweets from everyone but the author at read time) and publishes it
 * to `tweet-moderation`. A flagged tweet is also announced to live subscribers (who may have been
 * pushed it before the verdict) as an entry removal, after the verdict is stored, so a push that
 * arrives later is held back by the delivery check. A redelivered message reuses the stored verdict.
 */
export function moderatorConsumer(deps: { tweets: TweetRepository; moderation: Moderation; live: LivePublisher }) {
  return defineConsumer<TweetEvent>({
    group: 'moderator',
    topic: 'tweets',
    schema: TweetEvent,
    async handle(event, ctx) {
      switch (event.type) {
        case 'tweet.created': {
          const { id, authorId, text } = event.data.tweet;
          let verdict = await deps.tweets.getModeration(id);
          if (!verdict) {
            verdict = await deps.moderation.moderate(text);
            await deps.tweets.saveModeration(id, verdict);
          }
          await deps.live.pushTweetUpdated(id);
          // Fan-out does not wait for the verdict: followers' live streams may have the tweet already.
          if (verdict.flagged) await deps.live.pushEntryRemoved({ tweetId: id, authorId, reason: 'flagged' });
          if (verdict.flagged) ctx.log.info({ tweetId: id, labels: verdict.labels ?? verdict.categories, backend: verdict.backend }, 'tweet flagged');
          return [{ topic: 'tweet-moderation', key: id, event: makeEvent<ModerationEvent>('tweet.moderated', { tweetId: id, authorId, ...verdict }) }];
        }
        case 'tweet.deleted':
          await deps.tweets.removeModeration(event.data.id);
          return [];
        // A repost carries a tweet that was moderated when it was posted.
        case 'repost.created':
        case 'repost.removed':
          return [];
      }
    },
  });
}
