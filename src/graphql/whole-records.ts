import type { Tweet } from '../domain/types.js';
import type { RequestContext } from './context.js';

/**
 * The tweets whose author is stored; a tweet whose author is missing becomes null, as a deleted one
 * would, and is reported (logged with both ids, counted in timeline_records_skipped_total), so
 * one bad record costs its own edge and never fails the page (`Tweet.author` is non-null: a
 * missing author there would null the whole connection). The authors load through the request's
 * user loader, in one MGET: the page's `author` fields then cost nothing more. An author read that
 * failed (an Error, not null) keeps its tweet, so an outage still fails loudly instead of emptying pages.
 */
export async function withStoredAuthors<T extends Tweet | null | Error>(ctx: RequestContext, tweets: readonly T[]): Promise<(T | null)[]> {
  const authorIds = [...new Set(tweets.filter((t): t is T & Tweet => isTweet(t)).map((t) => t.authorId))];
  if (authorIds.length === 0) return [...tweets];
  const authors = await ctx.loaders.user.loadMany(authorIds);
  const missing = new Set(authorIds.filter((_, i) => authors[i] === null));
  if (missing.size === 0) return [...tweets];
  return tweets.map((t) => {
    if (!isTweet(t) || !missing.has(t.authorId)) return t;
    ctx.services.integrity.skipped('tweet', t.id, 'missing_author', { authorId: t.authorId });
    return null;
  });
}

function isTweet(value: Tweet | null | Error): value is Tweet {
  return value !== null && !(value instanceof Error);
}
