import { decodeCursor } from '../domain/cursor.js';
import { DomainError } from '../domain/errors.js';
import type { Tweet } from '../domain/types.js';
import { validateId } from '../domain/validation.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { LiveQueue } from '../graphql/live-queue.js';
import type { SubscriptionResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';
import { openHomeStream, type HomeStreamItem } from './homeTimelineStream.js';

function requireLive(ctx: RequestContext): LiveConnection {
  if (!ctx.live) throw new DomainError('BAD_USER_INPUT', 'subscriptions need a websocket (graphql-ws) connection to /graphql');
  return ctx.live;
}

/**
 * Subscribes to a live feed channel through a bounded queue. A client whose queue overflows is
 * dropped rather than buffered without bound.
 */
async function feedQueue<T>(live: LiveConnection, listen: (push: (item: T) => void) => Promise<() => void>): Promise<LiveQueue<T>> {
  let stopListening = () => {};
  const queue = new LiveQueue<T>(live.queueCapacity, () => {
    stopListening();
    live.metrics.activeSubscriptions.dec();
  });
  live.metrics.activeSubscriptions.inc();
  stopListening = await listen((item) => {
    if (!queue.push(item)) {
      queue.close();
      live.dropSlowClient();
    }
  });
  return queue;
}

export const Subscription: SubscriptionResolvers = {
  homeTimeline: {
    async subscribe(_parent, { after }, ctx) {
      const viewerId = requireViewer(ctx);
      const live = requireLive(ctx);
      // Validated before anything is listened to: a bad cursor costs nothing.
      const from = after == null ? null : decodeCursor(after);
      return openHomeStream(ctx, live, viewerId, from);
    },
    resolve(item: HomeStreamItem, _args: unknown, ctx: RequestContext) {
      const live = requireLive(ctx);
      if (live.isBackedUp()) live.dropSlowClient();
      live.metrics.messagesPushed.inc();
      if (item.producedAt !== null) live.metrics.postToPushSeconds.observe(Math.max(0, Date.now() - item.producedAt) / 1000);
      return { cursor: item.cursor, node: item.tweet };
    },
  },
  tweetUpdated: {
    async subscribe(_parent, { id }, ctx) {
      validateId(id);
      const live = requireLive(ctx);
      return feedQueue<string>(live, (push) => live.feed.tweet(id, () => push(id)));
    },
    async resolve(id: string, _args: unknown, ctx: RequestContext): Promise<Tweet> {
      const live = requireLive(ctx);
      if (live.isBackedUp()) live.dropSlowClient();
      // The operation's loaders live as long as the subscription: drop the cached copy to see the update.
      const tweet = await ctx.loaders.tweet.clear(id).load(id);
      if (!tweet) throw new DomainError('NOT_FOUND', `tweet ${id} no longer exists`);
      live.metrics.messagesPushed.inc();
      return tweet;
    },
  },
};
