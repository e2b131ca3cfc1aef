import type { Position } from '../domain/cursor.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import type { IdPage } from '../domain/types.js';

export interface HomeTimeline {
  /**
   * A page of the user's home timeline, newest first: the fanned-out entries merged with the
   * recent tweets of the celebrities the user follows (hybrid fan-out), in one order and with one
   * kind of cursor, so clients cannot tell the two apart. Two round trips when the user follows a
   * celebrity, one otherwise.
   */
  page(userId: string, first: number, after?: Position): Promise<IdPage>;
  /** The celebrities the user follows now: their tweets reach the user's live feed on their own channel. */
  followedCelebrities(userId: string): Promise<string[]>;
  /**
   * For live catch-ups: the entries of the same merged timeline newer than `after` (exclusive),
   * **oldest first**, at most `limit`; `hasNextPage` means more newer ones exist (the reader is
   * further behind than `limit`). Same round trips as `page`.
   */
  entriesAfter(userId: string, after: Position, limit: number): Promise<IdPage>;
}

export function createHomeTimeline(deps: { timelines: TimelineStore; graph: FollowGraph }): HomeTimeline {
  async function followedNow(userId: string, recorded: string[]): Promise<string[]> {
    if (recorded.length === 0) return [];
    // The recorded set can briefly lag an unfollow (or a retried follow event); the graph decides.
    const following = await deps.graph.isFollowing(userId, recorded);
    return recorded.filter((_, i) => following[i]);
  }

  return {
    async page(userId, first, after) {
      // Issued together: one round trip (ioredis pipelines concurrent commands).
      const [own, recorded] = await Promise.all([
        deps.timelines.homePage(userId, first, after),
        deps.timelines.followedCelebrities(userId),
      ]);
      if (recorded.length === 0) return own;
      const [following, ...pages] = await Promise.all([
        deps.graph.isFollowing(userId, recorded),
        ...recorded.map((authorId) => deps.timelines.authorPage(authorId, first, after)),
      ]);
      return mergePages([own, ...pages.filter((_, i) => following[i])], first);
    },
    async followedCelebrities(userId) {
      return followedNow(userId, await deps.timelines.followedCelebrities(userId));
    },
    async entriesAfter(userId, after, limit) {
      const [own, recorded] = await Promise.all([
        deps.timelines.homeEntriesAfter(userId, after, limit),
        deps.timelines.followedCelebrities(userId),
      ]);
      if (recorded.length === 0) return own;
      const [following, ...pages] = await Promise.all([
        deps.graph.isFollowing(userId, recorded),
        ...recorded.map((authorId) => deps.timelines.authorEntriesAfter(authorId, after, limit)),
      ]);
      return mergeOldestFirst([own, ...pages.filter((_, i) => following[i])], limit);
    },
  };
}

/**
 * mergePages for pages read oldest first (entriesAfter) that start after the same position: one
 * list in (score, id) ascending order without repeated ids, cut at `limit`; more remain if any
 * source had more or the cut dropped some.
 */
export function mergeOldestFirst(pages: readonly IdPage[], limit: number): IdPage {
  const newestFirst = mergePages(
    pages.map((p) => ({ ids: [...p.ids].reverse(), scores: [...p.scores].reverse(), hasNextPage: false })),
    Number.MAX_SAFE_INTEGER,
  );
  const kept = { ids: newestFirst.ids.reverse(), scores: newestFirst.scores.reverse() };
  return {
    ids: kept.ids.slice(0, limit),
    scores: kept.scores.slice(0, limit),
    hasNextPage: kept.ids.length > limit || pages.some((p) => p.hasNextPage),
  };
}

/**
 * Merges pages of one order (score desc, then id desc as Redis orders members) that start at the
 * same position, dropping repeated ids; there is a next page if any source had more.
 */
export function mergePages(pages: readonly IdPage[], first: number): IdPage {
  const entries: { id: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const page of pages) {
    page.ids.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      entries.push({ id, score: page.scores[i]! });
    });
  }
  entries.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const kept = entries.slice(0, first);
  return {
    ids: kept.map((e) => e.id),
    scores: kept.map((e) => e.score),
    hasNextPage: entries.length > first || pages.some((p) => p.hasNextPage),
  };
}
