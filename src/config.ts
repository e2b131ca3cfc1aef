import { z } from 'zod';

/**
 * Every setting the service reads, parsed once at start. Nothing else reads process.env.
 * Each field documents its env var and default; README's configuration table mirrors this file.
 */
const DEV_JWT_SECRET = 'dev-only-secret-change-me-dev-only-secret';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP port of the GraphQL API. */
  PORT: int(0, 65535).default(4000),
  /** Interface the API binds; 0.0.0.0 inside containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated host:port list. Unset: a local broker is started (all-in-one mode). */
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default('timeline'),
  /** Prefix for every topic and consumer group name; lets several deployments (or tests) share a broker. */
  KAFKA_NAMESPACE: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** Partitions for topics this service creates (the seed uses 10 for tweets). */
  KAFKA_PARTITIONS: int(1, 1000).default(10),
  /** redis://host:port/db. Unset: a local redis-server is started (all-in-one mode). */
  REDIS_URL: z.string().optional(),
  /** HMAC secret for HS256 session tokens; required in production. */
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  /** Session token lifetime in seconds. */
  JWT_TTL_SECONDS: int(60, 60 * 60 * 24 * 365).default(60 * 60 * 24 * 7),
  /** Snowflake worker id, 0-1023; must differ between API instances producing tweets. */
  WORKER_ID: int(0, 1023).default(0),
  /** Entries kept per home timeline (Mastodon and Twitter keep 800). */
  TIMELINE_CAP: int(20, 100_000).default(800),
  /** Tweet ids kept per author for profile pages and follow merges. */
  AUTHOR_TWEETS_CAP: int(20, 1_000_000).default(3200),
  /** Followers written per Redis pipeline during fan-out. */
  FANOUT_CHUNK_SIZE: int(1, 100_000).default(1000),
  /** Largest `first` a connection field accepts. */
  MAX_PAGE_SIZE: int(1, 1000).default(100),
  /** Serve GraphQL introspection (on by default outside production). */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** Folder (relative to the repo) for local broker/Redis data; git ignores it. */
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; introspection: boolean };
  logLevel: string;
  kafka: { brokers: string[] | undefined; clientId: string; namespace: string; partitions: number };
  redis: { url: string | undefined };
  auth: { jwtSecret: string; jwtTtlSeconds: number; usingDevSecret: boolean };
  workerId: number;
  timeline: { cap: number; authorTweetsCap: number; fanoutChunkSize: number; maxPageSize: number };
  localDataDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses and validates the environment. Throws ConfigError listing every bad variable,
 * and refuses production without a JWT secret.
 */
export function loadConfig(env: Env = process.env): Config {
  // Empty strings mean "unset": docker-compose and shells often pass VAR= for optional settings.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  const brokers = e.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers) {
    const bad = brokers.filter((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
    if (bad.length > 0) throw new ConfigError(`invalid configuration:\n  KAFKA_BROKERS: not host:port: ${bad.join(', ')}`);
  }
  if (e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL)) {
    throw new ConfigError('invalid configuration:\n  REDIS_URL: must start with redis:// or rediss://');
  }
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production' },
    logLevel: e.LOG_LEVEL,
    kafka: { brokers, clientId: e.KAFKA_CLIENT_ID, namespace: e.KAFKA_NAMESPACE, partitions: e.KAFKA_PARTITIONS },
    redis: { url: e.REDIS_URL },
    auth: { jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET, jwtTtlSeconds: e.JWT_TTL_SECONDS, usingDevSecret: !e.JWT_SECRET },
    workerId: e.WORKER_ID,
    timeline: {
      cap: e.TIMELINE_CAP,
      authorTweetsCap: e.AUTHOR_TWEETS_CAP,
      fanoutChunkSize: e.FANOUT_CHUNK_SIZE,
      maxPageSize: e.MAX_PAGE_SIZE,
    },
    localDataDir: e.LOCAL_DATA_DIR,
  };
}
