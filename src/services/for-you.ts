import type { Config } from '../config/index.js';
import { badInput } from '../domain/errors.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LikeStore } from '../domain/likes/ports.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { RankingSnapshots, TasteStore } from '../domain/ranking/ports.js';
import type { TagIndex } from '../domain/tags/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { RankedPosition } from '../domain/ranking/cursor.js';
import { rankCandidates } from '../domain/ranking/rank.js';
import type { Candidate, RankedEntry, RankingWeights, TagWeight, TasteProfile } from '../domain/ranking/types.js';
import { applyVariety } from '../domain/ranking/variety.js';
import { snowflakeTime } from '../domain/snowflake.js';
import type { Tweet } from '../domain/types.js';
import type { HomeTimeline } from './home-timeline.js';

/** One page of a ranking, with the cursor position after each entry. */
export interface ForYouPage {
  entries: { entry: RankedEntry; position: RankedPosition }[];
  /** Tweets this call already loaded (first pages): the caller primes its loader with them. */
  loaded: Tweet[];
  hasNextPage: boolean;
  /** Position after the last entry; null for an empty page. */
  endPosition: RankedPosition | null;
  /** Authors hidden from the viewer (mutes and blocks), read with the page: their entries are left out. */
  hidden: ReadonlySet<string>;
}

/** One ranking of a user's candidates, stored as a snapshot that later pages read. */
export interface Ranking {
  /** Empty when nothing was ranked (nothing stored). */
  snapshotId: string;
  entries: RankedEntry[];
  /** The ranked tweets, as loaded for ranking. */
  tweets: ReadonlyMap<string, Tweet>;
  /** Authors hidden from the user (mutes and blocks), read with the candidates; its pages leave them out. */
  hidden: ReadonlySet<string>;
}

export interface ForYou {
  /** The user's taste, heaviest first (negative weights last), decayed to now, chosen interests included. */
  taste(userId: string, first: number): Promise<TagWeight[]>;
  /**
   * Ranks fresh candidates — the home timeline, the tag index of the user's heaviest tags (chosen
   * interests count with their weight), recently popular tweets; minus flagged tweets, the user's
   * own, those they clicked, liked or marked not interested, and those by authors muted or blocked
   * either way (read in the home page's round trip) — applies the variety rule and
   * stores the ranking as a snapshot (RankingSnapshots keeps a bounded number per user). A
   * constant number of Redis round trips (five), whatever the candidate count. Every first page
   * of one request should share one ranking (the resolver does): each call stores a snapshot.
   */
  rank(userId: string): Promise<Ranking>;
  /** The first `first` entries of a ranking; no Redis. */
  firstPage(ranking: Ranking, first: number): ForYouPage;
  /**
   * The next entries of a stored ranking, minus tweets marked not interested since it was stored
   * and (through `hidden`) authors muted or blocked since: two round trips (the snapshot with the
   * hidden set; its tweets with the marks). BAD_USER_INPUT once it expired.
   */
  pageAfter(userId: string, after: RankedPosition, first: number): Promise<ForYouPage>;
}

export interface ForYouDeps {
  taste: TasteStore;
  likes: Pick<LikeStore, 'likedAmong'>;
  /** Home-timeline candidates come from the merged read, so celebrities' tweets compete too. */
  home: Pick<HomeTimeline, 'page'>;
  relations: Pick<RelationStore, 'hiddenFrom'>;
  tagIndex: TagIndex;
  tweets: TweetRepository;
  graph: FollowGraph;
  snapshots: RankingSnapshots;
  clock?: () => number;
}

function toPage(
  snapshotId: string,
  start: number,
  entries: readonly RankedEntry[],
  total: number,
  loaded: Tweet[],
  hidden: ReadonlySet<string>,
): ForYouPage {
  const positioned = entries.map((entry, i) => ({ entry, position: { snapshotId, offset: start + i + 1 } }));
  return {
    entries: positioned,
    loaded,
    hasNextPage: start + entries.length < total,
    endPosition: positioned.at(-1)?.position ?? null,
    hidden,
  };
}

export function createForYou(deps: ForYouDeps, options: Config['forYou']): ForYou {
  const clock = deps.clock ?? Date.now;
  const o = options;
  const weights: RankingWeights = { ...o.weights, recencyHalfLifeMs: o.recencyHalfLifeSeconds * 1000 };
  const variety = { window: o.varietyWindow, maxPerAuthor: o.varietyMaxPerAuthor };

  /** Candidate tweets with what ranking needs; each stage below is one round trip. */
  async function candidates(
    userId: string,
    taste: TasteProfile,
    homeIds: readonly string[],
    popular: readonly { tweetId: string; popularity: number }[],
    hiddenAuthors: ReadonlySet<string>,
  ) {
    const liked = taste.tags.filter((t) => t.weight > 0).slice(0, o.topTags);
    const byTag = await deps.tagIndex.recentMany(
      liked.map((t) => t.tag),
      o.tagCandidates,
    );
    const popularity = new Map(popular.map((p) => [p.tweetId, p.popularity]));
    const ids = [...new Set([...homeIds, ...byTag.flat(), ...popularity.keys()])];
    // Issued together: one round trip.
    const [tweets, clicked, likedIds, hidden] = await Promise.all([
      deps.tweets.getMany(ids),
      deps.taste.clickedAmong(userId, ids),
      deps.likes.likedAmong(userId, ids),
      deps.taste.hiddenAmong(userId, ids),
    ]);
    // Flagged tweets are out even for their author here: forYou never shows the user's own tweets.
    // Muted and blocked authors (either way) never take a place in the ranking.
    const eligible = tweets.filter(
      (t, i): t is Tweet =>
        t !== null && !clicked[i] && !likedIds[i] && !hidden[i] && t.authorId !== userId && !t.moderation?.flagged && !hiddenAuthors.has(t.authorId),
    );
    const authors = [...new Set(eligible.map((t) => t.authorId))];
    const follows = await deps.graph.isFollowing(userId, authors);
    const followed = new Set(authors.filter((_, i) => follows[i]));
    const list: Candidate[] = eligible.map((t) => ({
      tweetId: t.id,
      authorId: t.authorId,
      tags: t.tags?.tags ?? [],
      createdAt: snowflakeTime(t.id),
      followed: followed.has(t.authorId),
      popularity: popularity.get(t.id) ?? 0,
    }));
    return { list, tweets: new Map(eligible.map((t) => [t.id, t])) };
  }

  return {
    taste: (userId, first) => deps.taste.topTags(userId, first, clock()),

    async rank(userId) {
      const now = clock();
      // Issued together: one round trip (ioredis pipelines concurrent commands).
      // The home page read brings who is hidden from the reader in the same round trip.
      const [taste, home, popular] = await Promise.all([
        deps.taste.profile(userId, now),
        o.homeCandidates > 0 ? deps.home.page(userId, o.homeCandidates) : deps.relations.hiddenFrom(userId).then((hidden) => ({ ids: [], hidden })),
        o.popularCandidates > 0 ? deps.taste.popular(o.popularCandidates) : [],
      ]);
      const found = await candidates(userId, taste, home.ids, popular, home.hidden);
      const ranked = applyVariety(rankCandidates(found.list, taste, weights, now), variety).slice(0, o.snapshotSize);
      if (ranked.length === 0) return { snapshotId: '', entries: [], tweets: new Map(), hidden: home.hidden };
      // Saved even when one page holds it all, so the end cursor stays valid until the TTL.
      const snapshotId = await deps.snapshots.save(userId, ranked);
      return { snapshotId, entries: ranked, tweets: found.tweets, hidden: home.hidden };
    },

    firstPage(ranking, first) {
      const page = ranking.entries.slice(0, first);
      return toPage(ranking.snapshotId, 0, page, ranking.entries.length, page.map((e) => ranking.tweets.get(e.tweetId)!), ranking.hidden);
    },

    async pageAfter(userId, after, first) {
      // A mute since the ranking was stored applies from this request on: read with the snapshot.
      const [stored, hidden] = await Promise.all([
        deps.snapshots.read(userId, after.snapshotId, after.offset, first),
        deps.relations.hiddenFrom(userId),
      ]);
      if (!stored) throw badInput('after', 'cursor expired, start again: call forYou without after');
      const ids = stored.entries.map((e) => e.tweetId);
      const [tweets, notInterested] = await Promise.all([deps.tweets.getMany(ids), deps.taste.hiddenAmong(userId, ids)]);
      // A tweet marked not interested after the ranking was stored is left out; its position still counts for the cursor.
      const page = toPage(after.snapshotId, after.offset, stored.entries, stored.total, tweets.filter((t): t is Tweet => t !== null), hidden);
      return { ...page, entries: page.entries.filter((_, i) => !notInterested[i]) };
    },
  };
}
