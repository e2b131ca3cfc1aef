import type { Position } from '../domain/cursor.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { IdPage } from '../domain/types.js';

/** A page of a tweet's replies, with who is hidden from the reader (their replies are to be left out). */
export interface RepliesPage extends IdPage {
  /** Everyone the reader muted or blocked, or who blocked them; empty for an anonymous reader. */
  hidden: ReadonlySet<string>;
}

/** The reads of a tweet's reply thread; resolvers reach the reply lists only through this use case. */
export interface Replies {
  /**
   * The replies to `tweetId`, oldest first, from the position `after` (exclusive). Who is hidden
   * from the viewer is read in the same round trip as the page (concurrent commands are pipelined).
   */
  page(viewerId: string | null, tweetId: string, first: number, after?: Position): Promise<RepliesPage>;
}

export function createReplies(deps: { tweets: Pick<TweetRepository, 'replies'>; relations: Pick<RelationStore, 'hiddenFrom'> }): Replies {
  return {
    async page(viewerId, tweetId, first, after) {
      const [page, hidden] = await Promise.all([
        deps.tweets.replies(tweetId, first, after),
        viewerId ? deps.relations.hiddenFrom(viewerId) : Promise.resolve(new Set<string>()),
      ]);
      return { ...page, hidden };
    },
  };
}
