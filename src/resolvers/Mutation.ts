import type { MutationResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';

/** What removeTasteTag and setInterests answer: the taste after, as `me { taste }` shows it by default. */
const TASTE_AFTER_EDIT = 10;

export const Mutation: MutationResolvers = {
  // Every budget (sign-in attempts, writes, clicks, likes, taste edits) is spent inside the use case it guards.
  async signUp(_parent, { handle, password }, ctx) {
    const session = await ctx.services.accounts.signUp(handle, password, ctx.clientAddress);
    ctx.services.viewers.remember(session.user);
    return session;
  },
  async logIn(_parent, { handle, password }, ctx) {
    const session = await ctx.services.accounts.logIn(handle, password, ctx.clientAddress);
    ctx.services.viewers.remember(session.user);
    return session;
  },
  markNotificationsRead: async (_parent, { upTo }, ctx) => ctx.services.notifications.markRead(requireViewer(ctx), upTo),
  postTweet: async (_parent, { text, replyTo }, ctx) => ctx.services.tweets.postTweet(requireViewer(ctx), text, replyTo),
  async deleteTweet(_parent, { id }, ctx) {
    await ctx.services.tweets.deleteTweet(requireViewer(ctx), id);
    return true;
  },
  repost: async (_parent, { id }, ctx) => ctx.services.reposts.repost(requireViewer(ctx), id),
  unrepost: async (_parent, { id }, ctx) => ctx.services.reposts.unrepost(requireViewer(ctx), id),
  follow: async (_parent, { handle }, ctx) => ctx.services.follows.follow(requireViewer(ctx), handle),
  unfollow: async (_parent, { handle }, ctx) => ctx.services.follows.unfollow(requireViewer(ctx), handle),
  mute: async (_parent, { handle }, ctx) => ctx.services.relations.mute(requireViewer(ctx), handle),
  unmute: async (_parent, { handle }, ctx) => ctx.services.relations.unmute(requireViewer(ctx), handle),
  block: async (_parent, { handle }, ctx) => ctx.services.relations.block(requireViewer(ctx), handle),
  unblock: async (_parent, { handle }, ctx) => ctx.services.relations.unblock(requireViewer(ctx), handle),
  async recordClick(_parent, { tweetId }, ctx) {
    await ctx.services.clicks.recordClick(requireViewer(ctx), tweetId);
    return true;
  },
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
