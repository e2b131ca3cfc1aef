import { FollowEvent, SignalEvent, TweetEvent } from '../domain/events.js';
import type { LikeStore } from '../domain/likes/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { ActorFilter, NotificationActivity, NotificationStore } from '../domain/notifications/ports.js';
import { snowflakeTime } from '../domain/snowflake.js';
import type { HandlerContext } from './definition.js';
import { defineConsumer } from './definition.js';

export interface NotificationConsumerDeps {
  notifications: NotificationStore;
  /** Mutes and blocks (hiddenFromFilter over the relation store): a hidden actor notifies nobody. */
  actorFilter: ActorFilter;
  likes: Pick<LikeStore, 'likedAmong'>;
  reposts: Pick<RepostStore, 'has'>;
  live: Pick<LivePublisher, 'pushNotification'>;
}

/** The three groups of the notifications consumer, one per topic it reads (a definition reads one topic). */
export const NOTIFICATION_GROUPS = ['notifications-follows', 'notifications-likes', 'notifications-tweets'] as const;

/**
 * The notifications consumer: the events that already exist, turned into grouped notifications
 * (domain/notifications/grouping.ts) in each recipient's NotificationStore, and a push to the
 * recipient's live subscription once stored.
 *
 * - `notifications-follows` reads `follows`: `follow.created` → FOLLOW for the followee. An
 *   unfollow leaves the notification, as Mastodon does; the graph is not asked whether the follow
 *   still holds, so a replay (which sees the graph as of each message) records exactly what the
 *   live group recorded, whenever the live group got to the message.
 * - `notifications-likes` reads `clicks`: `tweet.liked` → LIKE for the author while the like edge
 *   is there; `tweet.unliked` takes the liker out of the group once the edge is gone. Either order
 *   of reaching a like and its unlike ends with the liker out of the group, live or replayed.
 * - `notifications-tweets` reads `tweets`: `tweet.created` → REPLY for the author of `replyTo`
 *   (present on replies) and MENTION for each of `mentionIds` (validated
 *   by postTweet) but the one replied to, who hears of it once, as a reply; `repost.created` →
 *   REPOST for the tweet's author while the repost is there, `repost.removed` takes the reposter
 *   out of the group once it is gone (as likes, by what the API wrote, so either order ends right).
 *
 * Nobody is notified of their own activity, nor of an actor the ActorFilter says they hide.
 * Idempotent: the store counts an actor once per group, so a redelivered event changes nothing
 * and pushes nothing. One file, three group names: renaming one re-reads its topic (a migration).
 */
export function notificationConsumers(deps: NotificationConsumerDeps) {
  async function notify(activity: NotificationActivity, ctx: HandlerContext): Promise<void> {
    const { recipientId, actorId, kind } = activity;
    if (recipientId === actorId) return;
    if ((await deps.actorFilter.hiddenActors(recipientId, [actorId])).has(actorId)) {
      return void ctx.log.debug({ recipientId, actorId, kind }, 'actor hidden from the recipient: no notification');
    }
    const group = await deps.notifications.record(activity);
    // Stored before published: a subscriber that reads the group on the push finds it.
    if (group !== null) await deps.live.pushNotification(recipientId, group);
    ctx.log.debug({ recipientId, actorId, kind, group, counted: group !== null }, group ? 'notification recorded' : 'notification already recorded');
  }

  return {
    follows: defineConsumer<FollowEvent>({
      group: 'notifications-follows',
      topic: 'follows',
      schema: FollowEvent,
      async handle(event, ctx) {
        if (event.type !== 'follow.created') return;
        const { followerId, followeeId, followedAt } = event.data;
        await notify({ recipientId: followeeId, actorId: followerId, kind: 'FOLLOW', tweetId: null, at: followedAt ?? event.producedAt }, ctx);
      },
    }),
    likes: defineConsumer<SignalEvent>({
      group: 'notifications-likes',
      topic: 'clicks',
      schema: SignalEvent,
      async handle(event, ctx) {
        if (event.type !== 'tweet.liked' && event.type !== 'tweet.unliked') return;
        const { userId, tweetId, authorId, likedAt } = event.data;
        const activity: NotificationActivity = { recipientId: authorId, actorId: userId, kind: 'LIKE', tweetId, at: likedAt };
        // The like edges, which the API writes before publishing, say what holds now (a retry may arrive late).
        const [liked] = await deps.likes.likedAmong(userId, [tweetId]);
        if (event.type === 'tweet.liked') {
          if (liked) await notify(activity, ctx);
          return;
        }
        if (!liked && (await deps.notifications.retract(activity))) ctx.log.debug({ authorId, userId, tweetId }, 'like notification retracted');
      },
    }),
    tweets: defineConsumer<TweetEvent>({
      group: 'notifications-tweets',
      topic: 'tweets',
      schema: TweetEvent,
      async handle(event, ctx) {
        if (event.type === 'repost.created' || event.type === 'repost.removed') {
          const created = event.type === 'repost.created';
          const { reposterId } = event.data;
          const tweetId = created ? event.data.tweet.id : event.data.tweetId;
          const authorId = created ? event.data.tweet.authorId : event.data.authorId;
          const activity: NotificationActivity = { recipientId: authorId, actorId: reposterId, kind: 'REPOST', tweetId, at: created ? event.data.repostedAt : event.producedAt };
          const reposted = await deps.reposts.has(tweetId, reposterId);
          if (created) {
            if (reposted) await notify(activity, ctx);
          } else if (!reposted && (await deps.notifications.retract(activity))) {
            ctx.log.debug({ authorId, reposterId, tweetId }, 'repost notification retracted');
          }
          return;
        }
        if (event.type !== 'tweet.created') return;
        const { id, authorId, replyTo, mentionIds } = event.data.tweet;
        const at = snowflakeTime(id);
        const repliedTo = replyTo?.authorId ?? null;
        if (repliedTo !== null) await notify({ recipientId: repliedTo, actorId: authorId, kind: 'REPLY', tweetId: id, at }, ctx);
        for (const recipientId of new Set(mentionIds ?? [])) {
          if (recipientId !== repliedTo) await notify({ recipientId, actorId: authorId, kind: 'MENTION', tweetId: id, at }, ctx);
        }
      },
    }),
  };
}
