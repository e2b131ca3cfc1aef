import { TAG_VOCABULARY } from '../domain/tags/vocabulary.js';
import { isVisibleTo, type Tweet } from '../domain/types.js';
import type { RequestContext } from '../graphql/context.js';
import { validateHandle, validateId } from '../domain/validation.js';
import { parsePageArgs, toConnection } from '../graphql/connections.js';
import type { QueryResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';
import { forYou } from './forYou.js';

/**
 * The replies among `tweets` to someone the viewer does not follow (Twitter's rule: a reply is in
 * your timeline only if you follow both its author and the one replied to). Fan-out already keeps
 * them out; this catches the read-time merges (celebrities, a returning reader) and unfollows since.
 * One command, only when the page holds such replies.
 */
async function repliesToStrangers(ctx: RequestContext, viewerId: string, tweets: readonly (Tweet | null | Error)[]): Promise<Set<string>> {
  const replies = tweets.filter(
    (t): t is Tweet & { replyTo: { id: string; authorId: string } } =>
      t !== null &&
      !(t instanceof Error) &&
      t.replyTo !== undefined &&
      t.authorId !== viewerId &&
      t.replyTo.authorId !== viewerId &&
      t.replyTo.authorId !== t.authorId,
  );
  if (replies.length === 0) return new Set();
  const repliedTo = [...new Set(replies.map((r) => r.replyTo.authorId))];
  const following = await ctx.services.graph.isFollowing(viewerId, repliedTo);
  const followed = new Set(repliedTo.filter((_, i) => following[i]));

  return new Set(replies.filter((r) => !followed.has(r.replyTo.authorId)).map((r) => r.id));
}

export const Query: QueryResolvers = {
  me(_parent, _args, ctx) {
    if (ctx.authError) throw ctx.authError;
    return ctx.viewerId ? ctx.loaders.user.load(ctx.viewerId) : null;
  },
  async user(_parent, { handle }, ctx) {
    validateHandle(handle);
    const id = await ctx.services.users.findIdByHandle(handle);
    return id ? ctx.loaders.user.load(id) : null;
  },
  tweet: (_parent, { id }, ctx) => ctx.loaders.tweet.load(validateId(id)),
  tagVocabulary: () => [...TAG_VOCABULARY],
  async homeTimeline(_parent, args, ctx) {
    const viewerId = requireViewer(ctx);
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const page = await ctx.services.home.page(viewerId, first, after);
    const tweets = await ctx.loaders.tweet.loadMany(page.ids);
    const strangers = await repliesToStrangers(ctx, viewerId, tweets);
    return toConnection(
      page,
      tweets,
      (tweet) => isVisibleTo(tweet, viewerId) && !page.hidden.has(tweet.authorId) && !strangers.has(tweet.id),
    );
  },
  forYou,
};
