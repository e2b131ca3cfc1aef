import type { RequestContext } from '../graphql/context.js';
import type { MutationResolvers } from './__generated__/types.js';
import { isWrongCredentials } from '../services/sign-in-guard.js';
import { withinRateLimit } from '../domain/rate-limits/budget.js';
import { requireViewer } from './auth.js';

/** What removeTasteTag and setInterests answer: the taste after, as `me { taste }` shows it by default. */
const TASTE_AFTER_EDIT = 10;

/** The signed-in user, after spending one unit of their write budget. */
async function writer(ctx: RequestContext): Promise<string> {
  const viewerId = requireViewer(ctx);
  await withinRateLimit(ctx.services.rateLimits.mutations, viewerId, 'requests');
  return viewerId;
}

export const Mutation: MutationResolvers = {
  // Budgeted by client address and handle before any password work (services/sign-in-guard.ts).
  async signUp(_parent, { handle, password }, ctx) {
    await ctx.services.signIn.beforeSignUp(ctx.clientAddress);
    const session = await ctx.services.accounts.signUp(handle, password);
    ctx.services.viewers.remember(session.user);
    return session;
  },
  async logIn(_parent, { handle, password }, ctx) {
    const { signIn } = ctx.services;
    await signIn.beforeLogIn(handle, ctx.clientAddress);
    let session;
    try {
      session = await ctx.services.accounts.logIn(handle, password);
    } catch (err) {
      if (isWrongCredentials(err)) await signIn.afterLogIn(handle, ctx.clientAddress, false);
      throw err;
    }
    await signIn.afterLogIn(handle, ctx.clientAddress, true);
    ctx.services.viewers.remember(session.user);
    return session;
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
