import { isVisibleTo, type ModerationVerdict } from '../domain/types.js';
import { parsePageArgs, toConnection } from '../graphql/connections.js';
import { withStoredAuthors } from '../graphql/whole-records.js';
import type { ModerationCategory, ModerationSeverity, TweetResolvers } from './__generated__/types.js';

/** The stored verdict as the schema shows it; verdicts from before labels existed show none. */
function moderationOf(v: ModerationVerdict) {
  return {
    flagged: v.flagged,
    categories: v.categories,
    labels: (v.labels ?? []).map((l) => ({
      category: l.category.toUpperCase() as ModerationCategory,
      severity: l.severity.toUpperCase() as ModerationSeverity,
      source: l.source,
    })),
  };
}

export const Tweet: TweetResolvers = {
  id: (tweet) => tweet.id,
  text: (tweet) => tweet.text,
  createdAt: (tweet) => tweet.createdAt,
  // Tags and moderation arrive in the same MGET as the tweet itself (TweetRepository.getMany).
  tags: (tweet) => tweet.tags?.tags ?? [],
  // Tags stored before taggedAt was kept were chosen after the tweet was posted: its time is the best bound left.
  taggedAt: (tweet) => (tweet.tags ? (tweet.tags.taggedAt ?? tweet.createdAt) : null),
  moderation: (tweet) => (tweet.moderation ? moderationOf(tweet.moderation) : null),
  // Loaded in the tweet's own MGET.
  likeCount: (tweet) => tweet.likeCount ?? 0,
  // One ZMSCORE for every tweet of the response (false without a viewer, with no Redis call).
  viewerHasLiked: (tweet, _args, ctx) => ctx.loaders.viewerLikes.load(tweet.id),
  async replyTo(tweet, _args, ctx) {
    if (!tweet.replyTo) return null;
    const [parent] = await withStoredAuthors(ctx, [await ctx.loaders.tweet.load(tweet.replyTo.id)]);
    return parent && isVisibleTo(parent, ctx.viewerId) ? parent : null;
  },
  // One pipelined round trip for every tweet of the response.
  replyCount: (tweet, _args, ctx) => ctx.loaders.replyCount.load(tweet.id),
  // The same: one pipelined ZCARD per tweet, in one round trip for the response.
  repostCount: (tweet, _args, ctx) => ctx.loaders.repostCount.load(tweet.id),
  async replies(tweet, args, ctx) {
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const viewerId = ctx.viewerId;
    const page = await ctx.services.replies.page(viewerId, tweet.id, first, after);
    const replies = await withStoredAuthors(ctx, await ctx.loaders.tweet.loadMany(page.ids));
    return toConnection(page, replies, (reply) => isVisibleTo(reply, viewerId) && !page.hidden.has(reply.authorId));
  },
  async author(tweet, _args, ctx) {
    const author = await ctx.loaders.user.load(tweet.authorId);
    // Users are never deleted, so a missing author means corrupted state, not an expected outcome. Every
    // read that returns tweets leaves those out first (graphql/whole-records.ts); this is the safety net.
    if (!author) throw new Error(`author ${tweet.authorId} of tweet ${tweet.id} not found`);
    return author;
  },
};
