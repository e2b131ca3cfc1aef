import { FanOutSliceEvent } from '../domain/events.js';
import type { FanOutDeps } from '../services/fan-out.js';
import { fanOutSlice } from '../services/fan-out.js';
import { defineConsumer } from './definition.js';

/**
 * Group `fanout-slices`: one slice of a large fan-out (a tweet's, or a repost's). Slices of one tweet are keyed apart, so they
 * spread over partitions and run in parallel on every member of the group; each commits on its own,
 * so a crash repeats only the slices that had not finished.
 */
export function fanOutSlicesConsumer(deps: Pick<FanOutDeps, 'graph' | 'timelines' | 'live' | 'relations'> & { chunkSize: number }) {
  return defineConsumer<FanOutSliceEvent>({
    group: 'fanout-slices',
    topic: 'fanout-slices',
    schema: FanOutSliceEvent,
    // Slices are independent, and each waits on Redis round trips: overlap them within a process too.
    partitionsAtOnce: 4,
    async handle(event, ctx) {
      const { tweet, postedAt, from, to, repost } = event.data;
      const result = await fanOutSlice(deps, tweet, postedAt, { from, to }, { chunkSize: deps.chunkSize, heartbeat: ctx.heartbeat }, repost);
      ctx.log.debug({ tweetId: tweet.id, from, to, reposterId: repost?.reposterId, ...result }, 'fan-out slice written');
    },
  });
}
