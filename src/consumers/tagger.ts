import { makeEvent, TweetEvent, type TagEvent } from '../domain/events.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { TagIndex } from '../domain/tags/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { Tagging } from '../services/tagging.js';
import { defineConsumer } from './definition.js';

/**
 * Group `tagger`: chooses interest tags for each new tweet, stores them beside the tweet, indexes
 * the tweet under each tag, and publishes `tweet.tagged` to `tweet-tags`. A redelivered message
 * reuses the stored tags, so the LLM is asked once per tweet.
 */
export function taggerConsumer(deps: { tweets: TweetRepository; tagIndex: TagIndex; tagging: Tagging; live: LivePublisher }) {
  return defineConsumer<TweetEvent>({
    group: 'tagger',
    topic: 'tweets',
    schema: TweetEvent,
    async handle(event, ctx) {
      switch (event.type) {
        case 'tweet.created': {
          const { id, authorId, text } = event.data.tweet;
          let tagged = await deps.tweets.getTags(id);
          if (!tagged) {
            tagged = await deps.tagging.tag(text);
            await deps.tweets.saveTags(id, tagged);
          }
          await deps.tagIndex.add(id, tagged.tags);
          await deps.live.pushTweetUpdated(id);
          ctx.log.debug({ tweetId: id, tags: tagged.tags, backend: tagged.backend }, 'tweet tagged');
          return [
            {
              topic: 'tweet-tags',
              key: id,
              event: makeEvent<TagEvent>('tweet.tagged', {
                tweetId: id,
                authorId,
                tags: tagged.tags,
                backend: tagged.backend,
                ...(tagged.taggedAt ? { taggedAt: tagged.taggedAt } : {}),
              }),
            },
          ];
        }
        case 'tweet.deleted': {
          const tagged = await deps.tweets.getTags(event.data.id);
          if (tagged) await deps.tagIndex.remove(event.data.id, tagged.tags);
          await deps.tweets.removeTags(event.data.id);
          return [];
        }
        // A repost carries a tweet that was tagged when it was posted.
        case 'repost.created':
        case 'repost.removed':
          return [];
      }
    },
  });
}
