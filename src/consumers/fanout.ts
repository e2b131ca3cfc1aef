import { TweetEvent } from '../domain/events.js';
import type { FanOutDeps } from '../services/fan-out.js';
import { fanOutTweet, retractTweet } from '../services/fan-out.js';
import { defineConsumer } from './definition.js';

/** Group `fanout`: each new tweet into the author's and followers' home timelines; deletes out of them. */
export function fanoutConsumer(deps: FanOutDeps & { chunkSize: number }) {
  return defineConsumer<TweetEvent>({
    group: 'fanout',
    topic: 'tweets',
    schema: TweetEvent,
    async handle(event, ctx) {
      const options = { chunkSize: deps.chunkSize, heartbeat: ctx.heartbeat };
      switch (event.type) {
        case 'tweet.created': {
          const { tweet } = event.data;
          const { delivered, pushed, resumed } = await fanOutTweet(deps, tweet, event.producedAt, options);
          ctx.log.info({ tweetId: tweet.id, delivered, pushed, resumed }, 'tweet fanned out');
          return;
        }
        case 'tweet.deleted':
          await retractTweet(deps, event.data, options);
          ctx.log.info({ tweetId: event.data.id }, 'tweet retracted from timelines');
          return;
      }
    },
  });
}
