import { decodeCursor } from '../domain/cursor.js';
import { DomainError, notFound } from '../domain/errors.js';
import { snowflakeTime } from '../domain/snowflake.js';
import { isVisibleTo, type Tweet } from '../domain/types.js';
import { validateId } from '../domain/validation.js';
import type { NotificationGroup } from '../domain/notifications/ports.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { LiveQueue } from '../graphql/live-queue.js';
import type { HomeTimelineUpdateResolvers, SubscriptionResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';
import { openHomeStream, type HomeStreamItem, type HomeStreamUpdate } from './homeTimelineStream.js';

function requireLive(ctx: RequestContext): LiveConnection {
  if (!ctx.live) throw new DomainError('BAD_USER_INPUT', 'subscriptions need a websocket (graphql-ws) connection to /graphql');
  return ctx.live;
}

/**
 * Subscribes to a live feed channel through a bounded queue. A client whose queue overflows is
 * dropped rather than buffered without bound.
 */
async function feedQueue<T>(live: LiveConnection, listen: (push: (item: T) => void, queue: LiveQueue<T>) => Promise<() => void>): Promise<LiveQueue<T>> {
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
  }, queue);
  return queue;
}

/** How recent a tweet id must be for `tweetUpdated` to wait for it to be stored (it was just posted). */
const JUST_POSTED_MS = 60_000;
const STORED_POLL_MS = 100;

/**
 * The tweet, if it exists and the viewer may see it; else NOT_FOUND (the same answer for both, so
 * a hidden tweet's existence is not told). A tweet posted in the last minute may not be stored yet
 * (the tweet-store group runs apart from the API): it is waited for up to LIVE_CATCH_UP_WAIT_MS.
 */
async function requireVisibleTweet(ctx: RequestContext, id: string, viewerId: string): Promise<Tweet> {
  const deadline = snowflakeTime(id) > Date.now() - JUST_POSTED_MS ? Date.now() + ctx.services.limits.liveCatchUpWaitMs : 0;
  for (;;) {
    const tweet = await ctx.loaders.tweet.clear(id).load(id);
    if (tweet) {
      if (isVisibleTo(tweet, viewerId)) return tweet;
      break;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, STORED_POLL_MS));
  }
  throw notFound(`tweet ${id} not found`);
}

/** One `tweetUpdated` event: the tweet's id, and how to end the subscription once it is gone. */
interface TweetUpdate {
  id: string;
  end(): void;
}

/** A home-stream edge as the schema's TweetEdge, counted and timed. */
function edgeOf(item: HomeStreamItem, live: LiveConnection) {
  if (live.isBackedUp()) live.dropSlowClient();
  live.metrics.messagesPushed.inc();
  if (item.producedAt !== null) live.metrics.postToPushSeconds.observe(Math.max(0, Date.now() - item.producedAt) / 1000);
  return { cursor: item.cursor, node: item.tweet, ...(item.repostedById ? { repostedById: item.repostedById } : {}) };
}

export const HomeTimelineUpdate: HomeTimelineUpdateResolvers = {
  __resolveType: (update) => ('tweetId' in update ? 'TimelineEntryRemoved' : 'TweetEdge'),
};

export const Subscription: SubscriptionResolvers = {
  notifications: {
    async subscribe(_parent, _args, ctx) {
      const viewerId = requireViewer(ctx);
      const live = requireLive(ctx);
      return feedQueue<NotificationGroup>(live, (push) =>
        live.feed.notifications(viewerId, (key) => {
          // The push names the group; it was stored before the push, so the read finds it (or it is gone since: nothing to send).
          ctx.services.notifications.group(viewerId, key).then(
            (group) => group && push(group),
            (err: unknown) => live.logger.warn({ err, viewerId, group: key }, 'reading a pushed notification failed'),
          );
        }),
      );
    },
    resolve(group: NotificationGroup, _args: unknown, ctx: RequestContext): NotificationGroup {
      const live = requireLive(ctx);
      if (live.isBackedUp()) live.dropSlowClient();
      live.metrics.messagesPushed.inc();
      // The operation's loaders live as long as the subscription: a group pushed again has new actors.
      ctx.loaders.notificationActors.clearAll();
      return group;
    },
  },
  homeTimeline: {
    async subscribe(_parent, { after }, ctx) {
      const viewerId = requireViewer(ctx);
      const live = requireLive(ctx);
      // Validated before anything is listened to: a bad cursor costs nothing.
      const from = after == null ? null : decodeCursor(after);
      return openHomeStream(ctx, live, viewerId, from);
    },
    resolve: (item: HomeStreamItem, _args: unknown, ctx: RequestContext) => edgeOf(item, requireLive(ctx)),
  },
  homeTimelineUpdates: {
    async subscribe(_parent, { after }, ctx) {
      const viewerId = requireViewer(ctx);
      const live = requireLive(ctx);
      const from = after == null ? null : decodeCursor(after);
      return openHomeStream(ctx, live, viewerId, from, { removals: true });
    },
    resolve(item: HomeStreamUpdate, _args: unknown, ctx: RequestContext) {
      const live = requireLive(ctx);
      if (!('removed' in item)) return edgeOf(item, live);
      if (live.isBackedUp()) live.dropSlowClient();
      live.metrics.messagesPushed.inc();
      return { tweetId: item.removed.tweetId, reason: 'FLAGGED' as const };
    },
  },
  tweetUpdated: {
    async subscribe(_parent, { id }, ctx) {
      const viewerId = requireViewer(ctx);
      validateId(id);
      const live = requireLive(ctx);
      // Refused before anything is listened to: an unknown or hidden tweet costs no channel.
      await requireVisibleTweet(ctx, id, viewerId);
      return feedQueue<TweetUpdate>(live, (push, queue) => live.feed.tweet(id, () => push({ id, end: () => queue.close() })));
    },
    async resolve({ id, end }: TweetUpdate, _args: unknown, ctx: RequestContext): Promise<Tweet> {
      const live = requireLive(ctx);
      if (live.isBackedUp()) live.dropSlowClient();
      // The operation's loaders live as long as the subscription: drop the cached copy to see the update.
      const tweet = await ctx.loaders.tweet.clear(id).load(id);
      // Deleted, or flagged and so no longer the viewer's to see: said once (NOT_FOUND), then the subscription ends.
      if (!tweet || !isVisibleTo(tweet, ctx.viewerId)) {
        end();
        throw notFound(`tweet ${id} is no longer available`);
      }
      live.metrics.messagesPushed.inc();
      return tweet;
    },
  },
};
