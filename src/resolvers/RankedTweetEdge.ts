import { describeReason } from '../domain/ranking/reasons.js';
import type { RankedTweetEdgeResolvers } from './__generated__/types.js';

export const RankedTweetEdge: RankedTweetEdgeResolvers = {
  cursor: (edge) => edge.cursor,
  node: (edge) => edge.node,
  score: (edge) => edge.score,
  async reasons(edge, _args, ctx) {
    // Through the user loader: batched with the page's `author` fields into one MGET.
    const needsHandle = edge.reasons.some((r) => r.kind === 'follow');
    const author = needsHandle ? await ctx.loaders.user.load(edge.node.authorId) : null;
    return edge.reasons.map((r) => describeReason(r, author?.handle ?? null));
  },
};
