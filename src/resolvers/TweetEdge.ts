import type { TweetEdgeResolvers } from './__generated__/types.js';

export const TweetEdge: TweetEdgeResolvers = {
  cursor: (edge) => edge.cursor,
  node: (edge) => edge.node,
  // Through the request's user loader: one MGET for every edge of the page that names a reposter.
  async repostedBy(edge, _args, ctx) {
    if (!edge.repostedById) return null;
    return ctx.loaders.user.load(edge.repostedById);
  },
};
