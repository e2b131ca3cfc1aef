import { isVisibleTo } from '../domain/types.js';
import { parsePageArgs, toConnection } from '../graphql/connections.js';
import { forbidden } from '../domain/errors.js';
import { TAG_VOCABULARY } from '../domain/tags/vocabulary.js';
import { validateFirst } from '../domain/validation.js';
import type { UserResolvers } from './__generated__/types.js';
import type { RequestContext } from '../graphql/context.js';
import { requireViewer } from './auth.js';

/** Users are never deleted: one a follow names but that is not stored is reported (toConnection leaves it out). */
function reportMissingUsers<T>(ctx: RequestContext, ids: readonly string[], users: readonly (T | null | Error)[], facts: Record<string, string>) {
  users.forEach((u, i) => {
    if (u === null) ctx.services.integrity.skipped('user', ids[i]!, 'missing_user', facts);
  });
  return users;
}

export const User: UserResolvers = {
  id: (user) => user.id,
  handle: (user) => user.handle,
  followerCount: async (user, _args, ctx) => (await ctx.loaders.followCounts.load(user.id)).followers,
  followingCount: async (user, _args, ctx) => (await ctx.loaders.followCounts.load(user.id)).following,
  async followers(user, args, ctx) {
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const page = await ctx.services.profiles.followers(user.id, first, after);
    return toConnection(page, reportMissingUsers(ctx, page.ids, await ctx.loaders.user.loadMany(page.ids), { followerOf: user.id }));
  },
  async following(user, args, ctx) {
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const page = await ctx.services.profiles.following(user.id, first, after);
    return toConnection(page, reportMissingUsers(ctx, page.ids, await ctx.loaders.user.loadMany(page.ids), { followedBy: user.id }));
  },
  async tweets(user, args, ctx) {
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const page = await ctx.services.profiles.tweets(user.id, first, after);
    return toConnection(page, await ctx.loaders.tweet.loadMany(page.ids), (tweet) => isVisibleTo(tweet, ctx.viewerId));
  },
  async taste(user, args, ctx) {
    // Taste says what someone reads, not what they post: private to its owner.
    if (user.id !== requireViewer(ctx)) throw forbidden('taste is private: ask for it as `me { taste }`');
    return ctx.services.forYou.taste(user.id, validateFirst(args.first, TAG_VOCABULARY.length, 10));
  },
};
