import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { startApp, type App, type AppRoles, type InternalAppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { CONSUMER_GROUPS } from '../../src/consumers/index.js';
import type { LocalRedisCluster } from '../../src/local/redis-cluster.js';
import { startLocalRedis, type LocalRedis } from '../../src/local/redis-server.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import type { TopicName } from '../../src/domain/events.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export interface TestApp {
  app: App;
  config: Config;
  url: string;
  /** The ops routes (/healthz, /readyz, /metrics) on the app's OPS_PORT. */
  opsUrl: string;
  /** The single redis-server; throws when the app runs on `redisCluster` instead. */
  redis: LocalRedis;
  /** Set when the app runs on a Redis Cluster. */
  redisCluster?: LocalRedisCluster;
  /** Physical topic name for a logical one (each test app has its own namespace). */
  topic(name: TopicName): string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The whole service in-process against the shared real broker and a fresh real redis-server,
 * with its own topic namespace so test files never see each other's messages.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    roles?: AppRoles;
    /** Another instance of the same deployment: same Redis and topics. */
    sameDeploymentAs?: TestApp;
    /** A Redis the caller started (and stops); by default each test app starts its own. */
    redis?: LocalRedis;
    /** Run on this Redis Cluster (the caller starts and stops it) instead of a single Redis. */
    redisCluster?: LocalRedisCluster;
    /** Brokers other than the shared test broker. */
    kafkaBrokers?: string[];
    /** Knobs no configuration reaches (a clock, loader options). */
    internal?: InternalAppOptions;
    /** Where the app logs (a test that reads the log passes its own). */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const logger = options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-app' });
  const shared = options.sameDeploymentAs;
  const cluster = shared ? shared.redisCluster : options.redisCluster;
  const given = cluster ? undefined : (shared?.redis ?? options.redis);
  const dataDir = given || cluster ? undefined : mkdtempSync(path.join(ROOT_DIR, '.local', 'test-redis-'));
  const redis = cluster ? undefined : (given ?? (await startLocalRedis({ dataDir: dataDir!, logger })));
  const namespace = shared ? shared.config.kafka.namespace : `t${randomBytes(4).toString('hex')}.`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    KAFKA_NAMESPACE: namespace,
    KAFKA_PARTITIONS: '3',
    // Every test signs its users up and in from 127.0.0.1; the tests of these budgets set their own.
    SIGNUP_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '100000',
    ...options.env,
  });
  const app = await startApp(
    config,
    {
      kafkaBrokers: options.kafkaBrokers ?? inject('kafkaBrokers'),
      ...(cluster ? { redisClusterNodes: cluster.nodes } : { redisUrl: redis!.url }),
    },
    options.roles ?? { api: true, consumers: CONSUMER_GROUPS },
    logger,
    options.internal,
  );
  const url = app.apiUrl ?? '';
  return {
    app,
    config,
    url,
    opsUrl: app.opsUrl,
    get redis(): LocalRedis {
      if (!redis) throw new Error('this test app runs on a Redis Cluster: use redisCluster');
      return redis;
    },
    redisCluster: cluster,
    topic: (name) => `${namespace}${name}`,
    async gql(query, variables, token) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async stop() {
      await app.stop();
      if (!dataDir) return;
      await redis!.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
