import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafkaAdmin } from './adapters/kafka/admin.js';
import { kafkaTarget } from './adapters/kafka/client.js';
import { KafkaConnection } from './adapters/kafka/connection.js';
import { waitForGroupCoordinators } from './adapters/kafka/coordinators.js';
import { createKafkaPublisher } from './adapters/kafka/publisher.js';
import { replaySubscriber } from './adapters/kafka/replay-subscriber.js';
import { topicNaming } from './adapters/kafka/topics.js';
import { createRedis, verifyRedis, type RedisClient, type RedisEndpoint, type RedisNodeAddress } from './adapters/redis/client.js';
import { moderatorBackends, taggerBackends } from './adapters/llm/backends.js';
import { createFollowGraph } from './adapters/redis/follow-graph.js';
import { createFanOutCheckpoints } from './adapters/redis/fan-out-checkpoints.js';
import { createKeyspace } from './adapters/redis/keyspace.js';
import { masterNodes } from './adapters/redis/slots.js';
import { createLiveFeed } from './adapters/redis/live-feed.js';
import { createLivePublisher } from './adapters/redis/live-publisher.js';
import { createRankingSnapshots } from './adapters/redis/ranking-snapshots.js';
import { createKnownAddresses, createRateLimiter } from './adapters/redis/rate-limiter.js';
import { createRelationStore } from './adapters/redis/relation-store.js';
import { createRepostStore } from './adapters/redis/repost-store.js';
import { createTagCache, createTagIndex } from './adapters/redis/tag-index.js';
import { createTasteStore } from './adapters/redis/taste-store.js';
import { createLikeStore } from './adapters/redis/like-store.js';
import { createNotificationStore } from './adapters/redis/notification-store.js';
import { hiddenFromFilter } from './domain/notifications/ports.js';
import { createNotifications } from './services/notifications.js';
import { createTimelineStore } from './adapters/redis/timeline-store.js';
import { createTweetRepository } from './adapters/redis/tweet-repository.js';
import { createUserRepository } from './adapters/redis/user-repository.js';
import { ConfigError, type Config } from './config/index.js';
import { consumerDefinitions, GROUP_BINDINGS, type ConsumerGroupName } from './consumers/index.js';
import { runLiveConsumer } from './consumers/live.js';
import { replayPlan } from './consumers/replay/plan.js';
import { rebuildState, type RebuildDeps, type RebuildSummary } from './consumers/replay/rebuild.js';
import { restorers } from './consumers/replay/restorers.js';
import type { RunningConsumer } from './consumers/router.js';
import { createSnowflake } from './domain/snowflake.js';
import { localJwtSecret } from './local/jwt-secret.js';
import { createTokenService } from './domain/tokens.js';
import { startApiServer, type ApiServer } from './graphql/http-server.js';
import type { LoaderOptions } from './graphql/loaders.js';
import type { Logger } from './observability/logger.js';
import { measureLag } from './adapters/kafka/lag.js';
import { createRecordIntegrity } from './observability/integrity.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { RecordIntegrity } from './domain/integrity/ports.js';
import { healthRouter, opsRouter, startOpsServer } from './observability/ops-routes.js';
import { createAccounts } from './services/accounts.js';
import { createSignInGuard } from './services/sign-in-guard.js';
import { createViewerCheck } from './graphql/viewers.js';
import { createPasswordHasher } from './domain/passwords.js';
import { createClickCommands } from './services/clicks.js';
import type { FanOutPolicy } from './services/fan-out.js';
import { createForYou } from './services/for-you.js';
import { createHomeTimeline } from './services/home-timeline.js';
import { createProfiles } from './services/profiles.js';
import { createFollowCommands } from './services/follows.js';
import { createModeration } from './services/moderation.js';
import { createRelationCommands } from './services/relations.js';
import { createReplies } from './services/replies.js';
import { createTagging } from './services/tagging.js';
import { createTweetCommands } from './services/tweets.js';
import { createRepostCommands } from './services/reposts.js';
import { createLikeCommands } from './services/likes.js';
import { createTasteEdits } from './services/taste-edits.js';

/** The repo root: LOCAL_DATA_DIR is relative to it (this file is src/app.ts or dist/app.js). */
const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AppRoles {
  /** Serve the GraphQL API. */
  api: boolean;
  /** Consumer groups to run in this process. */
  consumers: readonly ConsumerGroupName[];
}

/** Running Kafka and Redis: one Redis server by URL, or a Redis Cluster by seed nodes. */
export type Infrastructure = { kafkaBrokers: string[] } & (
  | { redisUrl: string; redisClusterNodes?: undefined }
  | { redisClusterNodes: readonly RedisNodeAddress[]; redisUrl?: undefined }
);

/**
 * Knobs for benchmarks and tests that no configuration reaches: they change how the service
 * works, not how it is deployed.
 */
export interface InternalAppOptions {
  /** Per-request DataLoader options of the HTTP API (e.g. `{ batch: false }` to measure batching). */
  loaders?: LoaderOptions;
  /** Unix ms now, by which user activity is judged (tests move it past TIMELINE_ACTIVE_DAYS). */
  clock?: () => number;
}

export interface App {
  /** Set when the API role runs. */
  apiUrl: string | undefined;
  /** Where /healthz, /readyz and /metrics are served (OPS_PORT), e.g. http://127.0.0.1:9464. */
  opsUrl: string;
  redis: RedisClient;
  kafka: KafkaConnection;
  metrics: Metrics;
  /** The consumer groups this process runs (their state is readiness). */
  consumers: readonly RunningConsumer[];
  /** Graceful: stop accepting requests, finish in-flight work, commit offsets, disconnect. Idempotent. */
  stop(): Promise<void>;
}

/** How long a start waits for a fresh broker's group coordinators (minutes, on a busy 2-core machine). */
const COORDINATOR_WAIT_MS = 5 * 60_000;

function redisEndpoint(infra: Infrastructure): RedisEndpoint {
  return infra.redisClusterNodes ? { clusterNodes: infra.redisClusterNodes } : { url: infra.redisUrl };
}

/** How the process reached Kafka and Redis, for the log: addresses, TLS, mechanism and users, never a secret. */
function connectionSummary(config: Config, infra: Infrastructure) {
  const { tls, sasl } = config.kafka;
  return {
    kafka: { brokers: infra.kafkaBrokers, tls: tls.enabled, sasl: sasl.mechanism ?? 'none', user: sasl.mechanism ? sasl.username : undefined },
    redis: {
      nodes: infra.redisClusterNodes?.map((n) => `${n.host}:${n.port}`) ?? [new URL(infra.redisUrl!).host],
      tls: config.redis.tls.enabled || /^rediss:/i.test(infra.redisUrl ?? ''),
      auth: config.redis.password || (infra.redisUrl && new URL(infra.redisUrl).password) ? 'password' : 'none',
    },
  };
}

/** Closes a client that may never have connected (refused credentials): QUIT only reaches a ready one. */
async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

/** How fan-out splits and when it stops (hybrid), alike in the consumers and in a rebuild. */
function fanOutPolicy(config: Config): FanOutPolicy {
  const { fanoutChunkSize, celebrityThreshold, splitAbove } = config.timeline;
  return { chunkSize: fanoutChunkSize, celebrityThreshold, splitAbove };
}

/**
 * The Redis-backed stores, configured alike wherever they are built (the app, rebuild): a rebuild
 * must write state exactly as the consumers would.
 */
function redisStores(redis: RedisClient, config: Config, clock?: () => number, integrity?: RecordIntegrity) {
  const limits = { homeCap: config.timeline.cap, authorCap: config.timeline.authorTweetsCap, activeWindowMs: config.timeline.activeDays * DAY_MS };
  const relations = createRelationStore(redis);
  return {
    tweets: createTweetRepository(redis, integrity),
    users: createUserRepository(redis, integrity),
    graph: createFollowGraph(redis),
    timelines: createTimelineStore(redis, limits, { clock }),
    tagIndex: createTagIndex(redis, config.tagger.indexCap),
    taste: createTasteStore(redis, config.taste),
    likes: createLikeStore(redis),
    notifications: createNotificationStore(
      redis,
      { groupsCap: config.notifications.groupsCap, actorsCap: config.notifications.actorsCap, ttlSeconds: config.notifications.ttlDays * DAY_MS / 1000 },
      clock,
    ),
    relations,
    // Muted and blocked actors (either way) notify nobody and are left out of stored notifications at read.
    actorFilter: hiddenFromFilter(relations),
    reposts: createRepostStore(redis),
  };
}

/**
 * The composition root: builds adapters, services, the API and consumer groups for the given
 * roles, against already-running Kafka and Redis. The only place that knows which adapter
 * implements which port.
 */
export async function startApp(
  config: Config,
  infra: Infrastructure,
  roles: AppRoles,
  logger: Logger,
  internal: InternalAppOptions = {},
): Promise<App> {
  const redisAt = redisEndpoint(infra);
  const redis = createRedis(redisAt, logger, config.redis);
  const kafka = KafkaConnection.create({ ...kafkaTarget(config, infra.kafkaBrokers), logger });
  const naming = topicNaming(config.kafka.namespace);
  const admin = createKafkaAdmin(kafka);
  const consumers: RunningConsumer[] = [];
  const metrics: Metrics = createMetrics({
    measureLag: () => measureLag(admin, naming, GROUP_BINDINGS),
    consumerStates: () => consumers.map((c) => ({ group: c.group, state: c.state() })),
  });
  const stops: (() => Promise<void>)[] = [() => closeRedis(redis)];
  const stopAll = async () => {
    // Reverse start order: the API stops taking work before the consumers and connections go.
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.warn({ err }, 'error during shutdown');
      }
    }
  };

  try {
    // Refused credentials or certificates stop the start here, with a message naming the setting.
    await verifyRedis(redis, redisAt, config.redis);
    // Kept connected for the process's life: lag metrics and readiness use it.
    await admin.connect();
    logger.info(connectionSummary(config, infra), 'connected to Kafka and Redis');
    stops.push(() => admin.disconnect());
    await admin.ensureTopics(naming, config.kafka.partitions, logger, GROUP_BINDINGS);

    // Missing or corrupt records are left out of reads, logged and counted (timeline_records_skipped_total).
    const integrity = createRecordIntegrity({ logger, counter: metrics.integrity.skipped });
    const { tweets, users, graph, timelines, tagIndex, taste, likes, relations, notifications, actorFilter, reposts } = redisStores(
      redis,
      config,
      internal.clock,
      integrity,
    );
    const live = createLivePublisher(redis);

    // One idempotent producer per process, shared by the API and the consumers' outgoing messages.
    const publisher = createKafkaPublisher(kafka, naming);
    await publisher.connect();
    stops.push(() => publisher.disconnect());

    const tagging = createTagging({
      ...taggerBackends(config),
      cache: createTagCache(redis, config.tagger.cacheTtlSeconds),
      logger,
    });
    const moderation = createModeration({ ...moderatorBackends(config), logger });
    const definitions = consumerDefinitions({
      tweets,
      timelines,
      graph,
      tagIndex,
      tagging,
      moderation,
      live,
      checkpoints: createFanOutCheckpoints(redis),
      taste,
      relations,
      fanOutPolicy: fanOutPolicy(config),
      notifications,
      actorFilter,
      likes,
      reposts,
    });
    // A consumer started before its group has a coordinator can die inside kafkajs; wait for them first.
    if (roles.consumers.length > 0) {
      const describer = { describeGroups: (ids: string[]) => admin.activeGroups(ids) };
      await waitForGroupCoordinators(describer, roles.consumers.map((g) => naming.group(g)), { timeoutMs: COORDINATOR_WAIT_MS, logger });
    }
    // Registered before the first starts, so a failure half-way still stops the ones running.
    stops.push(async () => void (await Promise.all(consumers.map((c) => c.stop()))));
    for (const group of roles.consumers) {
      consumers.push(await runLiveConsumer(definitions[group], { kafka, naming, publisher, metrics: metrics.consumers, logger }));
    }

    const readiness = {
      redis: async () => void (await redis.ping()),
      kafka: async () => void (await admin.describeCluster()),
      consumers: async () => consumersReady(consumers),
    };
    // Every process serves its ops routes on OPS_PORT; the API port has health checks, never /metrics.
    const opsServer = await startOpsServer(config.http.host, config.http.opsPort, opsRouter({ metrics, readiness }));
    logger.info({ url: opsServer.url, routes: ['/healthz', '/readyz', '/metrics'] }, 'ops routes listening');
    stops.push(() => opsServer.stop());

    let api: ApiServer | undefined;
    if (roles.api) {
      const ids = createSnowflake(config.workerId);
      // Production requires JWT_SECRET (the config refuses to load without it); elsewhere this machine's own random one.
      if (!config.auth.jwtSecret && config.env === 'production') throw new ConfigError('JWT_SECRET: required when NODE_ENV=production');
      const jwtSecret = config.auth.jwtSecret?.reveal() ?? (await localJwtSecret(path.resolve(ROOT_DIR, config.localDataDir), logger)).secret;
      const tokens = createTokenService(jwtSecret, config.auth.jwtTtlSeconds);
      const home = createHomeTimeline({ timelines, graph, relations, reposts, logger });
      // Stopped after the API (reverse order): no new reads start rebuilds by then.
      stops.push(() => home.settle());
      const passwords = createPasswordHasher({
        concurrency: config.auth.passwordHashConcurrency,
        onWaiting: (priority, waiting) => metrics.auth.passwordHashWaiting.set({ priority }, waiting),
      });
      const limits = config.rateLimits;
      // Posting, deleting, following, muting and blocking (and their undoing) share one budget per user.
      const writeBudget = createRateLimiter(redis, { action: 'mutation', limit: limits.mutationsPerMinute, windowMs: 60_000 });
      const guard = createSignInGuard({
        logInsPerAddress: createRateLimiter(redis, { action: 'login-address', limit: limits.authPerMinute, windowMs: 60_000 }),
        failuresPerHandle: createRateLimiter(redis, { action: 'login-failed-handle', limit: limits.authHandleFailuresPerMinute, windowMs: 60_000 }),
        signUpsPerAddress: createRateLimiter(redis, { action: 'signup-address', limit: limits.signUpsPerHour, windowMs: 60 * 60_000 }),
        known: createKnownAddresses(redis, { days: limits.knownAddressDays }),
      });
      const follows = createFollowCommands({ users, graph, relations, events: publisher, writeBudget });
      const services = {
        accounts: createAccounts({ users, ids, tokens, events: publisher, passwords, guard }),
        tweets: createTweetCommands({ ids, tweets, users, relations, events: publisher, writeBudget, mentionsPerTweet: config.notifications.mentionsPerTweet }),
        reposts: createRepostCommands({ tweets, reposts, relations, events: publisher, writeBudget }),
        follows,
        relations: createRelationCommands({ users, relations, follows, events: publisher, live, logger, writeBudget }),
        replies: createReplies({ tweets, relations }),
        home,
        profiles: createProfiles({ users, graph, timelines }),
        viewers: createViewerCheck(users),
        integrity,
        clicks: createClickCommands({
          tweets,
          limiter: createRateLimiter(redis, { action: 'click', limit: config.taste.clickRateLimitPerMinute, windowMs: 60_000 }),
          events: publisher,
        }),
        likes: createLikeCommands({
          tweets,
          likes,
          limiter: createRateLimiter(redis, { action: 'like', limit: config.taste.likeRateLimitPerMinute, windowMs: 60_000 }),
          events: publisher,
        }),
        tasteEdits: createTasteEdits({
          tweets,
          taste,
          limiter: createRateLimiter(redis, { action: 'taste-edit', limit: config.taste.editRateLimitPerMinute, windowMs: 60_000 }),
          events: publisher,
        }),
        forYou: createForYou(
          {
            taste,
            likes,
            home,
            relations,
            tagIndex,
            tweets,
            graph,
            snapshots: createRankingSnapshots(redis, { ttlSeconds: config.forYou.snapshotTtlSeconds, perUser: config.forYou.snapshotsPerUser }),
          },
          config.forYou,
        ),
        notifications: createNotifications({
          store: notifications,
          actorFilter,
          maxPageSize: config.timeline.maxPageSize,
          actorsCap: config.notifications.actorsCap,
        }),
        limits: config.timeline,
      };
      const feed = createLiveFeed(redis, logger, { heartbeatTtlSeconds: 60 });
      stops.push(() => feed.stop());
      api = await startApiServer(
        { services, repositories: { tweets, users, graph, likes, notifications: services.notifications, reposts }, tokens, feed, metrics, health: healthRouter({ readiness }), logger },
        {
          host: config.http.host,
          port: config.http.port,
          introspection: config.http.introspection,
          trustProxyHops: config.http.trustProxyHops,
          production: config.env === 'production',
          live: config.live,
          maxOperationNames: config.http.metricsOperationNames,
          loaders: internal.loaders,
        },
      );
      stops.push(() => api!.stop());
    }
    return { apiUrl: api?.url, opsUrl: opsServer.url, redis, kafka, metrics, consumers, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Wires `rebuild` (consumers/replay/rebuild.ts) against running Kafka and Redis: the same stores
 * and consumer definitions as the app, read by the replay subscriber instead of a consumer group;
 * a live publisher that publishes nothing (nobody listens to a replay), no fan-out checkpoints (a
 * failed rebuild starts over, it never resumes), and tagging and moderation that refuse to run
 * (tags and verdicts come from their topics, never from an LLM). Refuses (RebuildRefusedError)
 * while consumers of the deployment run. Closes what it opened.
 */
export async function runRebuild(
  config: Config,
  infra: Infrastructure,
  logger: Logger,
  progress?: RebuildDeps['progress'],
): Promise<RebuildSummary> {
  const redisAt = redisEndpoint(infra);
  const redis = createRedis(redisAt, logger, config.redis);
  const kafka = KafkaConnection.create({ ...kafkaTarget(config, infra.kafkaBrokers), logger });
  const naming = topicNaming(config.kafka.namespace);
  const admin = createKafkaAdmin(kafka);
  const publisher = createKafkaPublisher(kafka, naming);
  try {
    await verifyRedis(redis, redisAt, config.redis);
    await admin.connect();
    await admin.ensureTopics(naming, config.kafka.partitions, logger, GROUP_BINDINGS);
    await publisher.connect();
    const stores = redisStores(redis, config);
    const refuse = (what: string) => async (): Promise<never> => {
      throw new Error(`rebuild never ${what}: it restores the results from their topics`);
    };
    const consumers = consumerDefinitions({
      ...stores,
      tagging: { tag: refuse('tags a tweet') },
      moderation: { moderate: refuse('moderates a tweet') },
      live: { pushHomeEntry: async () => 0, publishHomeEntry: async () => undefined, pushTweetUpdated: async () => 0, pushAuthorEntry: async () => 0, pushFollowsChanged: async () => 0, pushEntryRemoved: async () => 0, pushNotification: async () => 0 },
      checkpoints: { get: async () => null, save: async () => undefined, clear: async () => undefined },
      fanOutPolicy: fanOutPolicy(config),
    });
    return await rebuildState({
      admin,
      naming,
      publisher,
      replay: (topic, ranges) => replaySubscriber(kafka, { topic, ranges, groupPrefix: naming.group('rebuild') }),
      plan: replayPlan(consumers, restorers(stores)),
      inline: { 'fanout-slices': consumers['fanout-slices'] },
      // On a cluster, the keys are spread over every master node.
      keyspace: createKeyspace(masterNodes(redis)),
      logger,
      progress,
    });
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await closeRedis(redis).catch(() => undefined);
  }
}

/** Ready once every consumer group of the process has its partitions; never while one crashed or stopped. */
function consumersReady(consumers: readonly RunningConsumer[]): void {
  const down = consumers.filter((c) => c.state() === 'crashed' || c.state() === 'stopped');
  if (down.length > 0) {
    throw new Error(`consumer groups down: ${down.map((c) => `${c.group} (${c.state()}${c.failure() ? `: ${c.failure()!.message}` : ''})`).join(', ')}`);
  }
  const waiting = consumers.filter((c) => c.state() !== 'running').map((c) => c.group);
  if (waiting.length > 0) throw new Error(`not yet assigned: ${waiting.join(', ')}`);
}
