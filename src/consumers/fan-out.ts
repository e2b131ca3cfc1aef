import { makeEvent, TweetEvent, type FanOutSliceEvent, type OutgoingMessage } from '../domain/events.js';
import type { FanOutDeps, FanOutPolicy } from '../services/fan-out.js';
import { fanOutRepost, fanOutTweet, retractTweet } from '../services/fan-out.js';
import { defineConsumer, TWEETS_PARTITIONS_AT_ONCE } from './definition.js';

/**
 * Group `fanout`: each new tweet into the author's and followers' home timelines (hybrid: not for
 * celebrities; large audiences split into slices for the `fanout-slices` group); deletes out of them;
 * reposts into the reposter's followers' timelines (fanOutRepost).
 */
export function fanOutConsumer(deps: FanOutDeps & { policy: FanOutPolicy }) {
  return defineConsumer<TweetEvent>({
    group: 'fanout',
    topic: 'tweets',
    schema: TweetEvent,
    // Tweets are keyed by author, so each author's tweets stay in order on their partition while
    // other partitions' tweets are fanned out meanwhile. One at a time, the group's throughput was
    // one over the chain of round trips a fan-out takes (20–50 ms on the 2-core benchmark machine,
    // so 50 tweets/s already queued up); overlapped, Redis's own speed is the limit.
    partitionsAtOnce: TWEETS_PARTITIONS_AT_ONCE,
    async handle(event, ctx) {
      const policy = { ...deps.policy, heartbeat: ctx.heartbeat };
      switch (event.type) {
        case 'tweet.created': {
          const { tweet } = event.data;
          const result = await fanOutTweet(deps, tweet, event.producedAt, policy);
          if (result.mode !== 'split') {
            ctx.log.debug({ tweetId: tweet.id, ...result }, 'tweet fanned out');
            return [];
          }
          ctx.log.debug({ tweetId: tweet.id, mode: result.mode, slices: result.slices.length }, 'tweet fan-out split');
          return result.slices.map(
            (slice, i): OutgoingMessage => ({
              topic: 'fanout-slices',
              key: `${tweet.id}:${i}`,
              event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: event.producedAt, ...slice }),
            }),
          );
        }
        case 'tweet.deleted':
          await retractTweet(deps, event.data, policy);
          ctx.log.debug({ tweetId: event.data.id }, 'tweet retracted from timelines');
          return [];
        case 'repost.created': {
          const { tweet, reposterId, repostedAt } = event.data;
          const result = await fanOutRepost(deps, event.data, event.producedAt, policy);
          if (result.mode !== 'split') {
            ctx.log.debug({ tweetId: tweet.id, reposterId, ...result }, 'repost fanned out');
            return [];
          }
          ctx.log.debug({ tweetId: tweet.id, reposterId, slices: result.slices.length }, 'repost fan-out split');
          return result.slices.map(
            (slice, i): OutgoingMessage => ({
              topic: 'fanout-slices',
              key: `${tweet.id}:${reposterId}:${i}`,
              event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: event.producedAt, ...slice, repost: { reposterId, repostedAt } }),
            }),
          );
        }
        // Left in the followers' timelines: home pages leave out an entry no followee reposts any more (read-time rule).
        case 'repost.removed':
          return [];
      }
    },
  });
}
