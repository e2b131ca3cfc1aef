import type { DomainError } from '../domain/errors.js';
import type { Config } from '../config/index.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import type { TimelineStore } from '../domain/timelines/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import type { Accounts } from '../services/accounts.js';
import type { ClickCommands } from '../services/clicks.js';
import type { ForYou } from '../services/for-you.js';
import type { FollowCommands } from '../services/follows.js';
import type { HomeTimeline } from '../services/home-timeline.js';
import type { RelationCommands } from '../services/relations.js';
import type { TweetCommands } from '../services/tweets.js';
import type { RelationStore } from '../domain/relations/ports.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { LiveFeed } from '../domain/live/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Loaders } from './loaders.js';

/** Long-lived services the resolvers call; built once by the composition root. */
export interface Services {
  accounts: Accounts;
  tweets: TweetCommands;
  follows: FollowCommands;
  relations: RelationCommands;
  /** Who is hidden from whom (mutes and blocks), for read-time filters. */
  relationStore: RelationStore;
  /** Stored tweets, for the reply lists. */
  tweetRepository: TweetRepository;
  timelines: TimelineStore;
  home: HomeTimeline;
  graph: FollowGraph;
  users: UserRepository;
  clicks: ClickCommands;
  forYou: ForYou;
  limits: Config['timeline'];
  /** Per-user budgets for writes (by user id) and for sign-in attempts (by handle). */
  rateLimits: { mutations: RateLimiter; auth: RateLimiter };
}

/** Present for operations over the websocket: what subscriptions need of their connection. */
export interface LiveConnection {
  feed: LiveFeed;
  metrics: Metrics['live'];
  logger: Logger;
  /** Events buffered per subscription before the client counts as too slow. */
  queueCapacity: number;
  /** True when the socket's unsent bytes are over the limit. */
  isBackedUp(): boolean;
  /** Closes the connection with the slow-client code; counted in metrics. */
  dropSlowClient(): void;
}

/**
 * What every resolver receives. `viewerId` is null for anonymous requests; `authError` is set
 * when a token was sent but refused, so operations that need a viewer can say why.
 */
export interface RequestContext {
  viewerId: string | null;
  authError: DomainError | null;
  services: Services;
  loaders: Loaders;
  live?: LiveConnection;
}
