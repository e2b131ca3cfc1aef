import { encodeRankedCursor } from '../domain/ranking/cursor.js';
import type { Reason } from '../domain/ranking/types.js';
import { isVisibleTo, type Tweet } from '../domain/types.js';
import type { ForYouPage } from '../services/for-you.js';

/** A ranked edge as resolvers pass it on: reasons stay data until RankedTweetEdge.reasons renders them. */
export interface RankedTweetEdge {
  cursor: string;
  node: Tweet;
  score: number;
  reasons: Reason[];
}

/**
 * Connection from a page of a ranking and the tweets loaded for it. Tweets gone since the ranking
 * was stored, or hidden from the viewer meanwhile (moderation, a mute or block), are left out; the end cursor still points past
 * them so paging goes on.
 */
export function toRankedConnection(page: ForYouPage, nodes: readonly (Tweet | null | Error)[], viewerId: string) {
  const edges: RankedTweetEdge[] = [];
  page.entries.forEach(({ entry, position }, i) => {
    const node = nodes[i];
    if (!node || node instanceof Error || !isVisibleTo(node, viewerId) || page.hidden.has(node.authorId)) return;
    edges.push({ cursor: encodeRankedCursor(position), node, score: entry.score, reasons: entry.reasons });
  });
  const endCursor = page.endPosition ? encodeRankedCursor(page.endPosition) : null;
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor, partial: false } };
}
