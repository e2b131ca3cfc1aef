import { DomainError } from '../domain/errors.js';
import { encodeCursor } from '../domain/cursor.js';
import type { HomeEntryPush } from '../domain/live/ports.js';
import { snowflakeTime } from '../domain/snowflake.js';
import type { Tweet } from '../domain/types.js';
import { validateId } from '../domain/validation.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { LiveQueue } from '../graphql/live-queue.js';
import type { SubscriptionResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';

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

/** Remembers the last `size` ids, so a redelivered push reaches a subscriber once. */
function recentIds(size: number) {
  const order: string[] = [];
  const set = new Set<string>();
  return (id: string): boolean => {
    if (set.has(id)) return false;
    set.add(id);
    order.push(id);
    if (order.length > size) set.delete(order.shift()!);
    return true;
  };
}

export const Subscription: SubscriptionResolvers = {
  homeTimeline: {
    async subscribe(_parent, _args, ctx) {
      const viewerId = requireViewer(ctx);
      const live = requireLive(ctx);
      const firstTime = recentIds(1024);
      // Celebrities followed later are heard from the next subscription on; their tweets are in reads at once.
      const celebrities = await ctx.services.home.followedCelebrities(viewerId);
      return feedQueue<HomeEntryPush>(live, (push) =>
        live.feed.home(viewerId, celebrities, (entry) => firstTime(entry.tweet.id) && push(entry)),
      );
    },
    resolve(entry: HomeEntryPush, _args: unknown, ctx: RequestContext) {
      const live = requireLive(ctx);
      if (live.isBackedUp()) live.dropSlowClient();
      live.metrics.messagesPushed.inc();
      live.metrics.postToPushSeconds.observe(Math.max(0, Date.now() - entry.producedAt) / 1000);
      const { id } = entry.tweet;
      return { cursor: encodeCursor({ score: snowflakeTime(id), member: id }), node: entry.tweet };
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
