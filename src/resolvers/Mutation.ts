import type { RequestContext } from '../graphql/context.js';
import type { MutationResolvers } from './__generated__/types.js';
import { requireViewer, withinRateLimit } from './auth.js';

/** What removeTasteTag and setInterests answer: the taste after, as `me { taste }` shows it by default. */
const TASTE_AFTER_EDIT = 10;

/** The signed-in user, after spending one unit of their write budget. */
async function writer(ctx: RequestContext): Promise<string> {
  const viewerId = requireViewer(ctx);
  await withinRateLimit(ctx.services.rateLimits.mutations, viewerId, 'requests');
  return viewerId;
}

/** Sign-in attempts are budgeted per handle, so guessing one account's password is slow. */
const authAttempt = (ctx: RequestContext, handle: string) =>
  withinRateLimit(ctx.services.rateLimits.auth, handle.toLowerCase().slice(0, 64), 'sign-in attempts for this handle');

export const Mutation: MutationResolvers = {
  async signUp(_parent, { handle, password }, ctx) {
    await authAttempt(ctx, handle);
    return ctx.services.accounts.signUp(handle, password);
  },
  async logIn(_parent, { handle, password }, ctx) {
    await authAttempt(ctx, handle);
    return ctx.services.accounts.logIn(handle, password);
  },
  postTweet: async (_parent, { text }, ctx) => ctx.services.tweets.postTweet(await writer(ctx), text),
  async deleteTweet(_parent, { id }, ctx) {
    await ctx.services.tweets.deleteTweet(await writer(ctx), id);
    return true;
  },
  follow: async (_parent, { handle }, ctx) => ctx.services.follows.follow(await writer(ctx), handle),
  unfollow: async (_parent, { handle }, ctx) => ctx.services.follows.unfollow(await writer(ctx), handle),
  // Clicks have their own, separately configured budget (CLICK_RATE_LIMIT) inside the click service.
  async recordClick(_parent, { tweetId }, ctx) {
    await ctx.services.clicks.recordClick(requireViewer(ctx), tweetId);
    return true;
  },
  // Likes and taste changes, too, have their own budgets (LIKE_RATE_LIMIT, TASTE_EDIT_RATE_LIMIT) in their services.
  async likeTweet(_parent, { id }, ctx) {
    const tweet = await ctx.services.likes.likeTweet(requireViewer(ctx), id);
    ctx.loaders.viewerLikes.prime(tweet.id, true);
    return tweet;
  },
  async unlikeTweet(_parent, { id }, ctx) {
    const tweet = await ctx.services.likes.unlikeTweet(requireViewer(ctx), id);
    ctx.loaders.viewerLikes.prime(tweet.id, false);
    return tweet;
  },
  async notInterested(_parent, { tweetId }, ctx) {
    await ctx.services.tasteEdits.notInterested(requireViewer(ctx), tweetId);
    return true;
  },
  async removeTasteTag(_parent, { tag }, ctx) {
    const viewerId = requireViewer(ctx);
    await ctx.services.tasteEdits.removeTasteTag(viewerId, tag);
    return ctx.services.forYou.taste(viewerId, TASTE_AFTER_EDIT);
  },
  async setInterests(_parent, { tags }, ctx) {
    const viewerId = requireViewer(ctx);
    await ctx.services.tasteEdits.setInterests(viewerId, tags);
    return ctx.services.forYou.taste(viewerId, TASTE_AFTER_EDIT);
  },
};
