import { decodeCursor, encodeCursor, type Position } from '../domain/cursor.js';
import type { IdPage, Tweet } from '../domain/types.js';
import { validateFirst } from '../domain/validation.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Validates connection arguments: `first` within 1..max, `after` a cursor we issued. */
export function parsePageArgs(args: PageArgs, maxPageSize: number): { first: number; after?: Position } {
  const first = validateFirst(args.first, maxPageSize);
  return args.after == null ? { first } : { first, after: decodeCursor(args.after) };
}

/** An edge of a tweet connection as resolvers pass it on: `repostedById` becomes TweetEdge.repostedBy. */
export interface TweetEdge {
  cursor: string;
  node: Tweet;
  /** The followee the home timeline names as the first reposter; absent elsewhere. */
  repostedById?: string;
}

/**
 * Relay connection from a page of ids and the nodes loaded for them. Ids whose node is gone
 * (deleted meanwhile) or that `keep` rejects (hidden from this viewer) are left out, but the end
 * cursor still points past them so paging goes on.
 */
export function toConnection<T>(page: IdPage & { partial?: boolean }, nodes: readonly (T | null | Error)[], keep: (node: T) => boolean = () => true) {
  const edges: { cursor: string; node: T }[] = [];
  page.ids.forEach((id, i) => {
    const node = nodes[i];
    if (node === null || node === undefined || node instanceof Error || !keep(node)) return;
    edges.push({ cursor: encodeCursor({ score: page.scores[i]!, member: id }), node });
  });
  const last = page.ids.length - 1;
  const endCursor = last >= 0 ? encodeCursor({ score: page.scores[last]!, member: page.ids[last]! }) : null;
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor, partial: page.partial ?? false } };
}
