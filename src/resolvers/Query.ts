import { TAG_VOCABULARY } from '../domain/tags/vocabulary.js';
import { isVisibleTo } from '../domain/types.js';
import { validateHandle, validateId } from '../domain/validation.js';
import { parsePageArgs, toConnection } from '../graphql/connections.js';
import type { QueryResolvers } from './__generated__/types.js';
import { selectsField } from '../graphql/selection.js';
import { withStoredAuthors } from '../graphql/whole-records.js';
import { requireViewer } from './auth.js';
import { forYou } from './forYou.js';

export const Query: QueryResolvers = {
  me(_parent, _args, ctx) {
    if (ctx.authError) throw ctx.authError;
    return ctx.viewerId ? ctx.loaders.user.load(ctx.viewerId) : null;
  },
  async user(_parent, { handle }, ctx) {
    validateHandle(handle);
    const id = await ctx.services.profiles.idByHandle(handle);
    return id ? ctx.loaders.user.load(id) : null;
  },
  async tweet(_parent, { id }, ctx) {
    const [tweet] = await withStoredAuthors(ctx, [await ctx.loaders.tweet.load(validateId(id))]);
    // Flagged: its author's only; to anyone else it is as if it did not exist.
    return tweet && isVisibleTo(tweet, ctx.viewerId) ? tweet : null;
  },
  tagVocabulary: () => [...TAG_VOCABULARY],
  async homeTimeline(_parent, args, ctx, info) {
    const viewerId = requireViewer(ctx);
    const { first, after } = parsePageArgs(args, ctx.services.limits.maxPageSize);
    const page = await ctx.services.home.page(viewerId, first, after);
    // The entries' earliest reposters ride in the round trip of the tweets' MGET.
    const [loaded, reposters] = await Promise.all([ctx.loaders.tweet.loadMany(page.ids), ctx.services.home.repostersOf(page)]);
    // Started beside the authors' read so the likes ride in its round trip; loadMany never rejects.
    if (selectsField(info, 'viewerHasLiked')) void ctx.loaders.viewerLikes.loadMany(page.ids);
    // In the same round trip: the authors (whole records only); for the read-time merges, which
    // replies answer someone the viewer does not follow (Twitter's rule); and which entries are
    // reposts, by whom, or retracted (one ZMSCORE of the authors and reposters on the viewer's follows).
    const [tweets, strangers, reposts] = await Promise.all([
      withStoredAuthors(ctx, loaded),
      ctx.services.home.repliesToStrangers(viewerId, loaded),
      ctx.services.home.repostAttribution(viewerId, loaded, reposters, page.hidden),
    ]);
    const connection = toConnection(
      page,
      tweets,
      (tweet) => isVisibleTo(tweet, viewerId) && !page.hidden.has(tweet.authorId) && !strangers.has(tweet.id) && !reposts.retracted.has(tweet.id),
    );
    if (reposts.repostedBy.size === 0) return connection;
    return { ...connection, edges: connection.edges.map((edge) => ({ ...edge, repostedById: reposts.repostedBy.get(edge.node.id) })) };
  },
  forYou,
  async notifications(_parent, { first, after }, ctx) {
    const viewerId = requireViewer(ctx);
    const page = await ctx.services.notifications.page(viewerId, first, after);
    // A group about a tweet that is gone or hidden from the viewer is left out (one MGET for the page; Notification.tweet reuses it).
    const tweets = await ctx.loaders.tweet.loadMany(page.edges.map((e) => e.node.tweetId).filter((id): id is string => id !== null));
    const shown = new Set(tweets.flatMap((t) => (t && !(t instanceof Error) && isVisibleTo(t, viewerId) ? [t.id] : [])));
    const edges = page.edges.filter((e) => e.node.tweetId === null || shown.has(e.node.tweetId));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor, partial: false } };
  },
  unreadNotificationCount: (_parent, _args, ctx) => ctx.services.notifications.unreadCount(requireViewer(ctx)),
};
