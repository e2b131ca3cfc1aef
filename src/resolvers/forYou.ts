import { decodeRankedCursor } from '../domain/ranking/cursor.js';
import { validateFirst } from '../domain/validation.js';
import { toRankedConnection } from '../graphql/ranked-connection.js';
import { withStoredAuthors } from '../graphql/whole-records.js';
import type { QueryResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';

/**
 * Query.forYou. The first page ranks and stores a snapshot; `after` reads the snapshot. Tweets the
 * ranking already loaded prime the request's loader, so the page costs no second tweet MGET.
 */
export const forYou: NonNullable<QueryResolvers['forYou']> = async (_parent, args, ctx) => {
  const viewerId = requireViewer(ctx);
  const first = validateFirst(args.first, ctx.services.limits.maxPageSize);
  const after = args.after == null ? null : decodeRankedCursor(args.after);
  const page = after ? await ctx.services.forYou.pageAfter(viewerId, after, first) : await ctx.services.forYou.firstPage(viewerId, first);
  for (const tweet of page.loaded) ctx.loaders.tweet.prime(tweet.id, tweet);
  const nodes = await withStoredAuthors(ctx, await ctx.loaders.tweet.loadMany(page.entries.map((e) => e.entry.tweetId)));
  return toRankedConnection(page, nodes, viewerId);
};
