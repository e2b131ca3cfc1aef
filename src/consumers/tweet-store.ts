import { TweetEvent } from '../domain/events.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import { defineConsumer, TWEETS_PARTITIONS_AT_ONCE } from './definition.js';

/** Group `tweet-store`: the tweets topic becomes stored tweets, each author's tweet list and each tweet's list of replies. */
export function tweetStoreConsumer(deps: { tweets: TweetRepository; timelines: TimelineStore }) {
  return defineConsumer<TweetEvent>({
    group: 'tweet-store',
    topic: 'tweets',
    schema: TweetEvent,
    // Per author order holds within a partition; partitions are independent (as for `fanout`).
    partitionsAtOnce: TWEETS_PARTITIONS_AT_ONCE,
    async handle(event, ctx) {
      switch (event.type) {
        case 'tweet.created': {
          const { tweet } = event.data;
          await deps.tweets.save(tweet);
          await deps.timelines.addAuthorTweet(tweet.authorId, tweet.id);
          if (tweet.replyTo) await deps.tweets.addReply(tweet.replyTo.id, tweet.id);
          ctx.log.debug({ tweetId: tweet.id }, 'tweet stored');
          return;
        }
        case 'tweet.deleted':
          await deps.tweets.remove(event.data.id, event.data.authorId);
          await deps.timelines.removeAuthorTweet(event.data.authorId, event.data.id);
          if (event.data.replyToId) await deps.tweets.removeReply(event.data.replyToId, event.data.id);
          ctx.log.debug({ tweetId: event.data.id }, 'tweet removed');
          return;
        // The API writes the reposters itself (RepostStore); a rebuild restores them (restorers.ts).
        case 'repost.created':
        case 'repost.removed':
          return;
      }
    },
  });
}
