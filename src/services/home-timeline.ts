import type { Position } from '../domain/cursor.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { RelationStore } from '../domain/relations/ports.js';
import { attributeReposts, followChecksFor, placedByRepost, REPOSTERS_READ, type EntryReposts, type RepostAttribution } from '../domain/reposts/attribution.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import type { IdPage, Tweet } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';

/** A page of a home timeline, and whether it was merged at read time while the timeline is rebuilt. */
export interface HomeTimelinePage extends IdPage {
  partial: boolean;
  /**
   * Everyone the reader muted or blocked, or who blocked them, read in the page's own round trip:
   * entries by them are to be left out (the page keeps their positions, so paging goes on).
   */
  hidden: ReadonlySet<string>;
}

export interface HomeTimeline {
  /**
   * A page of the user's home timeline, newest first: the fanned-out entries merged with the
   * recent tweets of the celebrities the user follows (hybrid fan-out), in one order and with one
   * kind of cursor, so clients cannot tell the two apart. Two round trips when the user follows a
   * celebrity, one otherwise; who is hidden from the reader comes in the first. The read keeps the user active. A user back after the active window
   * (whose timeline expired) gets the page merged at read time from everyone they follow
   * (`partial`, three round trips) while their timeline is rebuilt in the background; cursors
   * are positions, so they stay valid across the rebuild.
   */
  page(userId: string, first: number, after?: Position): Promise<HomeTimelinePage>;
  /** The celebrities the user follows now: their tweets reach the user's live feed on their own channel. */
  followedCelebrities(userId: string): Promise<string[]>;
  /**
   * For live catch-ups: the entries of the same merged timeline newer than `after` (exclusive),
   * **oldest first**, at most `limit`; `hasNextPage` means more newer ones exist (the reader is
   * further behind than `limit`). Same round trips as `page`.
   */
  entriesAfter(userId: string, after: Position, limit: number): Promise<IdPage>;
  /**
   * Everyone the user muted or blocked, or who blocked them, as stored now: for reads that are not
   * `page` (which brings it in its own round trip), such as the live stream at its start and resyncs.
   */
  hiddenFrom(userId: string): Promise<ReadonlySet<string>>;
  /**
   * The ids of the replies among `tweets` to someone the user does not follow (Twitter's rule: a
   * reply is in your home timeline only if you follow both its author and the one replied to).
   * Fan-out already keeps them out; this catches the read-time merges (celebrities, a returning
   * reader) and unfollows since. One command, and only when the page holds such replies.
   */
  repliesToStrangers(userId: string, tweets: readonly (Tweet | null | Error)[]): Promise<ReadonlySet<string>>;
  /**
   * For each entry of a page placed by reposts (placedByRepost), its earliest reposts
   * (REPOSTERS_READ at most); null for the others. One command per such entry, issued together
   * (one round trip; call it beside the tweets' MGET); none for a page without reposts.
   */
  repostersOf(page: IdPage): Promise<EntryReposts>;
  /**
   * Which of the page's entries show as reposts and by whom, and which are retracted (see
   * attributeReposts): one ZMSCORE on the user's following set for the authors and reposters,
   * issued at the call (so it rides in the round trip of whatever else the caller starts with it);
   * no command when no entry by someone else is placed by a repost.
   */
  repostAttribution(
    userId: string,
    tweets: readonly (Tweet | null | Error)[],
    reposts: EntryReposts,
    hidden: ReadonlySet<string>,
  ): Promise<RepostAttribution>;
  /** Waits for the rebuilds under way in this process (shutdown). */
  settle(): Promise<void>;
}

/**
 * Where a returning user's timeline is rebuilt: here, in the API process that served their first
 * read, in the background. The work is one round trip per hundred followees plus one write (no
 * more than a page merge costs), the reader is already served by the read-time merge meanwhile,
 * and a rebuild cut short (the process died) costs nothing but a lease that runs out, after which
 * the next read starts it again. A Kafka work item would add a produce and a consumer hop to
 * something the reader is waiting for, and durability it does not need: the timeline is derived
 * state, rebuilt from the graph and the author timelines at any time.
 */
export function createHomeTimeline(deps: {
  timelines: TimelineStore;
  graph: FollowGraph;
  relations: Pick<RelationStore, 'hiddenFrom'>;
  reposts: Pick<RepostStore, 'earliest'>;
  logger: Logger;
}): HomeTimeline {
  const running = new Map<string, Promise<void>>();

  async function followedNow(userId: string, recorded: string[]): Promise<string[]> {
    if (recorded.length === 0) return [];
    // The recorded set can briefly lag an unfollow (or a retried follow event); the graph decides.
    const following = await deps.graph.isFollowing(userId, recorded);
    return recorded.filter((_, i) => following[i]);
  }

  /** Own tweets and every followee's, celebrities left to the read-time merge as always. */
  async function rebuild(userId: string): Promise<void> {
    const [followees, celebrities] = await Promise.all([deps.graph.followingIds(userId), deps.timelines.followedCelebrities(userId)]);
    const merged = new Set(celebrities);
    const written = await deps.timelines.rebuildHome(userId, [userId, ...followees.filter((id) => !merged.has(id))]);
    deps.logger.info({ userId, followees: followees.length, entries: written }, 'home timeline rebuilt');
  }

  function startRebuild(userId: string): void {
    if (running.has(userId)) return;
    const task = rebuild(userId)
      .catch((err: unknown) => deps.logger.warn({ err, userId }, 'home timeline rebuild failed; the next read retries once its lease ends'))
      .finally(() => running.delete(userId));
    running.set(userId, task);
  }

  return {
    async page(userId, first, after) {
      // Issued together: one round trip (ioredis pipelines concurrent commands).
      const [own, recorded, hidden] = await Promise.all([
        deps.timelines.homePage(userId, first, after),
        deps.timelines.followedCelebrities(userId),
        deps.relations.hiddenFrom(userId),
      ]);
      if (own.rebuild !== 'none') {
        if (own.rebuild === 'start') startRebuild(userId);
        // Everyone followed, celebrities included; the graph is the truth, so no filter is needed.
        const authors = [userId, ...(await deps.graph.followingIds(userId))];
        const pages = await Promise.all(authors.map((authorId) => deps.timelines.authorPage(authorId, first, after)));
        return { ...mergePages([own, ...pages], first), partial: true, hidden };
      }
      if (recorded.length === 0) return { ...withoutState(own), partial: false, hidden };
      const [following, ...pages] = await Promise.all([
        deps.graph.isFollowing(userId, recorded),
        ...recorded.map((authorId) => deps.timelines.authorPage(authorId, first, after)),
      ]);
      return { ...mergePages([own, ...pages.filter((_, i) => following[i])], first), partial: false, hidden };
    },
    async followedCelebrities(userId) {
      return followedNow(userId, await deps.timelines.followedCelebrities(userId));
    },
    async entriesAfter(userId, after, limit) {
      // The one-entry page keeps the reader active and says whether their timeline expired.
      const [probe, own, recorded] = await Promise.all([
        deps.timelines.homePage(userId, 1),
        deps.timelines.homeEntriesAfter(userId, after, limit),
        deps.timelines.followedCelebrities(userId),
      ]);
      if (probe.rebuild !== 'none') {
        if (probe.rebuild === 'start') startRebuild(userId);
        // As `page` does for a returning reader: merged at read time from everyone followed.
        const authors = [userId, ...(await deps.graph.followingIds(userId))];
        return mergeOldestFirst(await Promise.all(authors.map((authorId) => deps.timelines.authorEntriesAfter(authorId, after, limit))), limit);
      }
      if (recorded.length === 0) return own;
      const [following, ...pages] = await Promise.all([
        deps.graph.isFollowing(userId, recorded),
        ...recorded.map((authorId) => deps.timelines.authorEntriesAfter(authorId, after, limit)),
      ]);
      return mergeOldestFirst([own, ...pages.filter((_, i) => following[i])], limit);
    },
    hiddenFrom: (userId) => deps.relations.hiddenFrom(userId),
    async repliesToStrangers(userId, tweets) {
      const replies = tweets.filter(
        (t): t is Tweet & { replyTo: { id: string; authorId: string } } =>
          t !== null &&
          !(t instanceof Error) &&
          t.replyTo !== undefined &&
          t.authorId !== userId &&
          t.replyTo.authorId !== userId &&
          t.replyTo.authorId !== t.authorId,
      );
      if (replies.length === 0) return new Set();
      const repliedTo = [...new Set(replies.map((r) => r.replyTo.authorId))];
      const following = await deps.graph.isFollowing(userId, repliedTo);
      const followed = new Set(repliedTo.filter((_, i) => following[i]));
      return new Set(replies.filter((r) => !followed.has(r.replyTo.authorId)).map((r) => r.id));
    },
    async repostersOf(page) {
      const reposted = page.ids.filter((id, i) => placedByRepost(id, page.scores[i]!));
      if (reposted.length === 0) return page.ids.map(() => null);
      const read = await deps.reposts.earliest(reposted, REPOSTERS_READ);
      const byId = new Map(reposted.map((id, i) => [id, read[i]!]));
      return page.ids.map((id) => byId.get(id) ?? null);
    },
    repostAttribution(userId, tweets, reposts, hidden) {
      const checks = followChecksFor(userId, tweets, reposts);
      // Not async: the ZMSCORE is issued now, in the caller's tick.
      const following = checks.length === 0 ? Promise.resolve([]) : deps.graph.isFollowing(userId, checks);
      return following.then((answers) => {
        const followed = new Set(checks.filter((_, i) => answers[i]));
        return attributeReposts({ viewerId: userId, tweets, reposts, followed, hidden });
      });
    },
    async settle() {
      await Promise.all(running.values());
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

function withoutState(page: IdPage): IdPage {
  return { ids: page.ids, scores: page.scores, hasNextPage: page.hasNextPage };
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
