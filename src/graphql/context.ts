import type { DomainError } from '../domain/errors.js';
import type { Config } from '../config/index.js';
import type { Accounts } from '../services/accounts.js';
import type { ClickCommands } from '../services/clicks.js';
import type { ForYou } from '../services/for-you.js';
import type { LiveVerdicts } from '../services/live-verdicts.js';
import type { LikeCommands } from '../services/likes.js';
import type { TasteEdits } from '../services/taste-edits.js';
import type { FollowCommands } from '../services/follows.js';
import type { HomeTimeline } from '../services/home-timeline.js';
import type { Profiles } from '../services/profiles.js';
import type { RelationCommands } from '../services/relations.js';
import type { Replies } from '../services/replies.js';
import type { RepostCommands } from '../services/reposts.js';
import type { TweetCommands } from '../services/tweets.js';
import type { Notifications } from '../services/notifications.js';
import type { LiveFeed } from '../domain/live/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RecordIntegrity } from '../domain/integrity/ports.js';
import type { Loaders } from './loaders.js';
import type { ViewerCheck } from './viewers.js';

/** The use cases the resolvers call (never a store or repository directly); built once by the composition root. */
export interface Services {
  accounts: Accounts;
  tweets: TweetCommands;
  /** Reposts and their undoing (each spends the write budget). */
  reposts: RepostCommands;
  follows: FollowCommands;
  /** Mutes and blocks (each spends the write budget). */
  relations: RelationCommands;
  /** A tweet's reply thread, without authors hidden from the viewer. */
  replies: Replies;
  home: HomeTimeline;
  profiles: Profiles;
  clicks: ClickCommands;
  likes: LikeCommands;
  tasteEdits: TasteEdits;
  forYou: ForYou;
  notifications: Notifications;
  limits: Config['timeline'];
  /** Whether a token's user is stored (viewers.ts). */
  viewers: ViewerCheck;
  /** Where reads report records they left out (missing or corrupt). */
  integrity: RecordIntegrity;
}

/** Present for operations over the websocket: what subscriptions need of their connection. */
export interface LiveConnection {
  feed: LiveFeed;
  metrics: Metrics['live'];
  logger: Logger;
  /** The delivery check of live pushes: whether a pushed tweet is flagged by now (one per process). */
  verdicts: LiveVerdicts;
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
  /** One id per HTTP request or websocket operation: in the log lines of its unexpected errors and in their `extensions.requestId`. */
  requestId: string;
  /** The client's address as budgets count it (client-address.ts). */
  clientAddress: string;
  authError: DomainError | null;
  services: Services;
  loaders: Loaders;
  live?: LiveConnection;
}
