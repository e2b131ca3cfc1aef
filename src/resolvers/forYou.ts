import { decodeRankedCursor } from '../domain/ranking/cursor.js';
import { validateFirst } from '../domain/validation.js';
import { toRankedConnection } from '../graphql/ranked-connection.js';
import type { RequestContext } from '../graphql/context.js';
import type { Ranking } from '../services/for-you.js';
import { withStoredAuthors } from '../graphql/whole-records.js';
import type { QueryResolvers } from './__generated__/types.js';
import { requireViewer } from './auth.js';

/**
 * One ranking per request (per operation over a websocket): ten aliased `forYou` first pages rank
 * once and store one snapshot, whatever their `first`.
 */
const rankings = new WeakMap<RequestContext, Promise<Ranking>>();

function rankingOf(ctx: RequestContext, viewerId: string): Promise<Ranking> {
  let ranking = rankings.get(ctx);
  if (!ranking) rankings.set(ctx, (ranking = ctx.services.forYou.rank(viewerId)));
  return ranking;
}

/**
 * Query.forYou. The first page ranks and stores a snapshot (shared by the request's first
 * pages); `after` reads the snapshot. Tweets the ranking already loaded prime the request's
 * loader, so the page costs no second tweet MGET.
 */
export const forYou: NonNullable<QueryResolvers['forYou']> = async (_parent, args, ctx) => {
  const viewerId = requireViewer(ctx);
  const first = validateFirst(args.first, ctx.services.limits.maxPageSize);
  const after = args.after == null ? null : decodeRankedCursor(args.after);
  const page = after
    ? await ctx.services.forYou.pageAfter(viewerId, after, first)
    : ctx.services.forYou.firstPage(await rankingOf(ctx, viewerId), first);
  for (const tweet of page.loaded) ctx.loaders.tweet.prime(tweet.id, tweet);
  // A first page ranks only tweets the viewer does not like (liked ones are left out): no lookup needed.
  if (!after) for (const tweet of page.loaded) ctx.loaders.viewerLikes.prime(tweet.id, false);
  const nodes = await withStoredAuthors(ctx, await ctx.loaders.tweet.loadMany(page.entries.map((e) => e.entry.tweetId)));
  return toRankedConnection(page, nodes, viewerId);
};
