import { TAG_VOCABULARY } from '../domain/tags/vocabulary.js';
import { isVisibleTo } from '../domain/types.js';
import { validateHandle, validateId } from '../domain/validation.js';
import { parsePageArgs, toConnection } from '../graphql/connections.js';
import type { QueryResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';
import { forYou } from './forYou.js';

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
    return toConnection(page, await ctx.loaders.tweet.loadMany(page.ids), (tweet) => isVisibleTo(tweet, viewerId) && !page.hidden.has(tweet.authorId));
  },
  forYou,
};
