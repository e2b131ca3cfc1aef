import type { MutationResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';

export const Mutation: MutationResolvers = {
  signUp: (_parent, { handle, password }, ctx) => ctx.services.accounts.signUp(handle, password),
  logIn: (_parent, { handle, password }, ctx) => ctx.services.accounts.logIn(handle, password),
  postTweet: (_parent, { text }, ctx) => ctx.services.tweets.postTweet(requireViewer(ctx), text),
  async deleteTweet(_parent, { id }, ctx) {
    await ctx.services.tweets.deleteTweet(requireViewer(ctx), id);
    return true;
  },
  follow: (_parent, { handle }, ctx) => ctx.services.follows.follow(requireViewer(ctx), handle),
  unfollow: (_parent, { handle }, ctx) => ctx.services.follows.unfollow(requireViewer(ctx), handle),
  async recordClick(_parent, { tweetId }, ctx) {
    await ctx.services.clicks.recordClick(requireViewer(ctx), tweetId);
    return true;
  },
};
