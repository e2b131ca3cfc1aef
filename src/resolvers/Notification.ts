import { badInput } from '../domain/errors.js';
import { isVisibleTo, type User } from '../domain/types.js';
import type { NotificationResolvers } from './__generated__/types.js';

/** Most actors one group's `actors(first)` may ask for; the store keeps at most NOTIFICATIONS_ACTORS_CAP anyway. */
const MAX_ACTORS = 100;

export const Notification: NotificationResolvers = {
  kind: (group) => group.kind,
  async actors(group, { first }, ctx) {
    const n = first ?? 3;
    if (!Number.isInteger(n) || n < 0 || n > MAX_ACTORS) throw badInput('first', `first must be 0 to ${MAX_ACTORS}`);
    if (n === 0) return [];
    const ids = await ctx.loaders.notificationActors.load({ group: group.key, first: n });
    const users = await ctx.loaders.user.loadMany(ids);
    return users.filter((u): u is User => u !== null && !(u instanceof Error));
  },
  actorCount: (group) => group.actorCount,
  async tweet(group, _args, ctx) {
    if (group.tweetId === null) return null;
    const tweet = await ctx.loaders.tweet.load(group.tweetId);
    return tweet && isVisibleTo(tweet, ctx.viewerId) ? tweet : null;
  },
  createdAt: (group) => new Date(group.latestAt).toISOString(),
  read: (group) => group.read,
};
