import type { RequestContext } from '../graphql/context.js';
import type { MutationResolvers } from './__generated__/types.js';
import { requireViewer, withinRateLimit } from './auth.js';

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
  postTweet: async (_parent, { text, replyTo }, ctx) => ctx.services.tweets.postTweet(await writer(ctx), text, replyTo),
  async deleteTweet(_parent, { id }, ctx) {
    await ctx.services.tweets.deleteTweet(await writer(ctx), id);
    return true;
  },
  follow: async (_parent, { handle }, ctx) => ctx.services.follows.follow(await writer(ctx), handle),
  unfollow: async (_parent, { handle }, ctx) => ctx.services.follows.unfollow(await writer(ctx), handle),
  mute: async (_parent, { handle }, ctx) => ctx.services.relations.mute(await writer(ctx), handle),
  unmute: async (_parent, { handle }, ctx) => ctx.services.relations.unmute(await writer(ctx), handle),
  block: async (_parent, { handle }, ctx) => ctx.services.relations.block(await writer(ctx), handle),
  unblock: async (_parent, { handle }, ctx) => ctx.services.relations.unblock(await writer(ctx), handle),
  // Clicks have their own, separately configured budget (CLICK_RATE_LIMIT) inside the click service.
  async recordClick(_parent, { tweetId }, ctx) {
    await ctx.services.clicks.recordClick(requireViewer(ctx), tweetId);
    return true;
  },
};
