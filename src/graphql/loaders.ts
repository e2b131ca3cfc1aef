import DataLoader from 'dataloader';
import type { FollowCounts, FollowGraph } from '../domain/follows/ports.js';
import type { LikeStore } from '../domain/likes/ports.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { Tweet, User } from '../domain/types.js';
import type { Notifications } from '../services/notifications.js';

/** One notification group's actor preview: the group and how many actors (`Notification.actors(first)`). */
export interface ActorPreviewKey {
  group: string;
  first: number;
}

/**
 * Per-request batch loaders: every tweet, author and count a response needs is fetched in one
 * round trip per kind, however many fields ask. Made per request so nothing is cached across users.
 */
export interface Loaders {
  tweet: DataLoader<string, Tweet | null>;
  user: DataLoader<string, User | null>;
  followCounts: DataLoader<string, FollowCounts>;
  /** Whether the request's viewer likes each tweet: one ZMSCORE per page; false for everyone without a viewer. */
  viewerLikes: DataLoader<string, boolean>;
  /** Replies per tweet: one ZCARD each, all in one round trip for a page. */
  replyCount: DataLoader<string, number>;
  /** Reposters per tweet: one ZCARD each, all in one round trip for a page. */
  repostCount: DataLoader<string, number>;
  /** The viewer's notification groups' newest actors: one round trip per page (per distinct `first`). */
  notificationActors: DataLoader<ActorPreviewKey, string[], string>;
}

export interface LoaderOptions {
  /**
   * Batch the loads of one tick into one call (default). False makes one repository call per key:
   * only for benchmarks measuring what batching is worth; no configuration reaches it.
   */
  batch?: boolean;
}

export function createLoaders(
  deps: {
    tweets: TweetRepository;
    users: UserRepository;
    graph: FollowGraph;
    likes: Pick<LikeStore, 'likedAmong'>;
    notifications: Pick<Notifications, 'actors'>;
    reposts: Pick<RepostStore, 'counts'>;
  },
  viewerId: string | null,
  options: LoaderOptions = {},
): Loaders {
  const dataLoaderOptions = { batch: options.batch ?? true };
  return {
    tweet: new DataLoader((ids) => deps.tweets.getMany(ids), dataLoaderOptions),
    user: new DataLoader((ids) => deps.users.getMany(ids), dataLoaderOptions),
    followCounts: new DataLoader((ids) => deps.graph.counts(ids), dataLoaderOptions),
    viewerLikes: new DataLoader(async (ids) => (viewerId ? deps.likes.likedAmong(viewerId, ids) : ids.map(() => false)), dataLoaderOptions),
    replyCount: new DataLoader((ids) => deps.tweets.replyCounts(ids), dataLoaderOptions),
    repostCount: new DataLoader((ids) => deps.reposts.counts(ids), dataLoaderOptions),
    notificationActors: new DataLoader<ActorPreviewKey, string[], string>(
      async (previews) => {
        if (!viewerId) return previews.map(() => []);
        // Usually one `first` for the whole page; one store call per distinct value otherwise.
        const answers = new Map<string, string[]>();
        for (const first of new Set(previews.map((p) => p.first))) {
          const groups = previews.filter((p) => p.first === first).map((p) => p.group);
          const lists = await deps.notifications.actors(viewerId, groups, first);
          groups.forEach((g, i) => answers.set(`${first}:${g}`, lists[i] ?? []));
        }
        return previews.map((p) => answers.get(`${p.first}:${p.group}`) ?? []);
      },
      { ...dataLoaderOptions, cacheKeyFn: (p) => `${p.first}:${p.group}` },
    ),
  };
}
