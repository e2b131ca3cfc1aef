import type { RequestContext } from '../graphql/context.js';
import type { MutationResolvers } from './__generated__/types.js';
import { isWrongCredentials } from '../services/sign-in-guard.js';
import { requireViewer, withinRateLimit } from './auth.js';

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
};
