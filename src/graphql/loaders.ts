import DataLoader from 'dataloader';
import type { FollowCounts, FollowGraph } from '../domain/follows/ports.js';
import type { LikeStore } from '../domain/likes/ports.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { Tweet, User } from '../domain/types.js';

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
}

export interface LoaderOptions {
  /**
   * Batch the loads of one tick into one call (default). False makes one repository call per key:
   * only for benchmarks measuring what batching is worth; no configuration reaches it.
   */
  batch?: boolean;
}

export function createLoaders(
  deps: { tweets: TweetRepository; users: UserRepository; graph: FollowGraph; likes: Pick<LikeStore, 'likedAmong'>; reposts: Pick<RepostStore, 'counts'> },
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
  };
}
