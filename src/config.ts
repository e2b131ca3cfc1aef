import { z } from 'zod';
import { DEFAULT_FLAG_CATEGORIES, isModerationCategory, MODERATION_CATEGORIES, type ModerationCategory } from './domain/moderation/categories.js';
import { DEFAULT_BLOCKLIST } from './domain/moderation/patterns.js';

/**
 * Every setting the service reads, parsed once at start. Nothing else reads process.env.
 * Each field documents its env var and default; README's configuration table mirrors this file.
 */
const DEV_JWT_SECRET = 'dev-only-secret-change-me-dev-only-secret';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const DAY_SECONDS = 24 * 60 * 60;

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP port of the GraphQL API. */
  PORT: int(0, 65535).default(4000),
  /** Port of /healthz, /readyz, /metrics in processes without the API (`consume <group>`); 0 = any free port (logged). */
  OPS_PORT: int(0, 65535).default(0),
  /** Interface the API binds; 0.0.0.0 inside containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated host:port list. Unset: a local broker is started (all-in-one mode). */
  KAFKA_BROKERS: z.string().optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default('timeline'),
  /** Prefix for every topic and consumer group name; lets several deployments (or tests) share a broker. */
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  /** Partitions for topics this service creates (the seed uses 10 for tweets). */
  KAFKA_PARTITIONS: int(1, 1000).default(10),
  /** redis://host:port/db. Unset: a local redis-server is started (all-in-one mode). */
  REDIS_URL: z.string().optional(),
  /** Comma-separated host:port seed nodes of a Redis Cluster; excludes REDIS_URL. */
  REDIS_CLUSTER_NODES: z.string().optional(),
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
  /**
   * Authors with at least this many followers are not fanned out: their tweets are merged into
   * followers' home timelines when read (hybrid fan-out). Promotion is one-way.
   */
  FANOUT_CELEBRITY_THRESHOLD: int(1, 1_000_000_000).default(50_000),
  /** A fan-out to more followers than this is split into chunk tasks run in parallel by the `fanout-chunks` group. */
  FANOUT_SPLIT_ABOVE: int(1, 1_000_000_000).default(20_000),
  /** Largest `first` a connection field accepts. */
  MAX_PAGE_SIZE: int(1, 1000).default(100),
  /** Serve GraphQL introspection (on by default outside production). */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** `openai`, `offline` (the trained model) or `lexicon` (its keyword lists alone); default: openai when OPENAI_API_KEY is set, else offline. */
  TAGGER_BACKEND: z.enum(['openai', 'offline', 'lexicon']).optional(),
  /** `openai` or `offline`; default: openai when OPENAI_API_KEY is set, else offline. */
  MODERATION_BACKEND: z
    .string()
    .optional()
    .refine((v) => v !== 'rules', { message: 'the rules moderator was replaced by `offline` (word lists, patterns and a trained classifier): set offline' })
    .pipe(z.enum(['openai', 'offline']).optional()),
  /** Comma-separated moderation categories whose high-severity labels hide a tweet; `none` hides nothing. */
  MODERATION_FLAG_CATEGORIES: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim().toLowerCase() === 'none' || v.split(',').every((c) => c.trim() === '' || isModerationCategory(c.trim().toLowerCase())), {
      message: `each must be one of ${MODERATION_CATEGORIES.join(', ')} (or the whole value none)`,
    }),
  OPENAI_API_KEY: z.string().optional(),
  /** Any OpenAI-compatible server (vLLM, Ollama, llama.cpp); unset: api.openai.com. */
  OPENAI_BASE_URL: z.url().optional(),
  TAGGER_MODEL: z.string().min(1).default('gpt-4o-mini'),
  MODERATION_MODEL: z.string().min(1).default('omni-moderation-latest'),
  /** Per LLM request attempt. */
  LLM_TIMEOUT_MS: int(100, 600_000).default(10_000),
  /** Retries on 429/5xx/timeouts, with exponential backoff (Retry-After honoured). */
  LLM_MAX_RETRIES: int(0, 10).default(3),
  /** LLM requests in flight per process. */
  LLM_CONCURRENCY: int(1, 256).default(4),
  /** How long an LLM answer is remembered for the same text. */
  TAG_CACHE_TTL_SECONDS: int(60, 60 * 60 * 24 * 365).default(60 * 60 * 24 * 30),
  /** Recent tweet ids kept per tag. */
  TAG_INDEX_CAP: int(10, 1_000_000).default(1000),
  /** Comma-separated phrases the offline moderator labels as spam (whole words, any case, after normalisation). */
  MODERATION_BLOCKLIST: z.string().optional(),
  MODERATION_MAX_LINKS: int(0, 100).default(3),
  MODERATION_MAX_MENTIONS: int(0, 100).default(5),
  MODERATION_MAX_REPEATED_CHARS: int(2, 280).default(9),
  /** Largest websocket frame accepted (ws's own default is 100 MiB). */
  WS_MAX_PAYLOAD_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  /** A websocket client must send connection_init within this time. */
  WS_CONNECTION_INIT_TIMEOUT_MS: int(100, 60_000).default(5_000),
  WS_KEEPALIVE_MS: int(1_000, 300_000).default(12_000),
  /** Unsent bytes per socket above which a client is dropped as too slow. */
  WS_MAX_BUFFERED_BYTES: int(1024, 256 * 1024 * 1024).default(1024 * 1024),
  /** Events queued per subscription above which a client is dropped as too slow. */
  WS_QUEUE_CAPACITY: int(1, 100_000).default(256),
  /** postTweet, deleteTweet, follow and unfollow calls allowed per user per minute; more get RATE_LIMITED. */
  MUTATION_RATE_LIMIT: int(1, 1_000_000).default(120),
  /** signUp and logIn attempts allowed per handle per minute (slows password guessing). */
  AUTH_RATE_LIMIT: int(1, 1_000_000).default(10),
  /** recordClick calls allowed per user per minute; more get RATE_LIMITED. */
  CLICK_RATE_LIMIT: int(1, 100_000).default(60),
  /** Clicks by one user on one tweet closer together than this count once in taste and popularity. */
  CLICK_DEDUPE_WINDOW_SECONDS: int(1, 365 * DAY_SECONDS).default(DAY_SECONDS),
  /** Clicked tweet ids remembered per user (excluded from forYou). */
  CLICKED_CAP: int(10, 1_000_000).default(1000),
  /** Half-life of a click's weight in a user's taste. */
  TASTE_HALF_LIFE_SECONDS: int(60, 10 * 365 * DAY_SECONDS).default(7 * DAY_SECONDS),
  /** Half-life of a click's weight in the recently-popular set. */
  POPULAR_HALF_LIFE_SECONDS: int(60, 365 * DAY_SECONDS).default(DAY_SECONDS),
  /** Tweets kept in the recently-popular set. */
  POPULAR_CAP: int(10, 1_000_000).default(1000),
  /** forYou score weights: taste affinity (0..1), recency (0..1), follow bonus, popularity (0..1). */
  FORYOU_WEIGHT_TASTE: num(0, 100).default(1),
  FORYOU_WEIGHT_RECENCY: num(0, 100).default(0.3),
  FORYOU_WEIGHT_FOLLOW: num(0, 100).default(0.2),
  FORYOU_WEIGHT_POPULAR: num(0, 100).default(0.2),
  /** Age at which a tweet's recency signal halves. */
  FORYOU_RECENCY_HALF_LIFE_SECONDS: int(60, 365 * DAY_SECONDS).default(DAY_SECONDS),
  /** The user's heaviest tags whose tag index feeds forYou candidates. */
  FORYOU_TOP_TAGS: int(1, 50).default(5),
  /** Candidates read from the home timeline, from each top tag's index, and from the popular set. */
  FORYOU_HOME_CANDIDATES: int(0, 10_000).default(200),
  FORYOU_TAG_CANDIDATES: int(0, 10_000).default(100),
  FORYOU_POPULAR_CANDIDATES: int(0, 10_000).default(100),
  /** Ranked entries a snapshot keeps (how far one can page), and how long it lives. */
  FORYOU_SNAPSHOT_SIZE: int(1, 100_000).default(500),
  FORYOU_SNAPSHOT_TTL_SECONDS: int(10, DAY_SECONDS).default(600),
  /** Folder (relative to the repo) for local broker/Redis data; git ignores it. */
  LOCAL_DATA_DIR: z.string().min(1).default('.local'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; opsPort: number; introspection: boolean };
  rateLimits: { mutationsPerMinute: number; authPerMinute: number };
  logLevel: string;
  kafka: { brokers: string[] | undefined; clientId: string; namespace: string; partitions: number };
  /** At most one of the two is set; neither: the `npm run services` Redis or a local one. */
  redis: { url: string | undefined; clusterNodes: { host: string; port: number }[] | undefined };
  auth: { jwtSecret: string; jwtTtlSeconds: number; usingDevSecret: boolean };
  workerId: number;
  timeline: {
    cap: number;
    authorTweetsCap: number;
    fanoutChunkSize: number;
    celebrityThreshold: number;
    splitAbove: number;
    maxPageSize: number;
  };
  llm: {
    apiKey: string | undefined;
    baseURL: string | undefined;
    timeoutMs: number;
    maxRetries: number;
    concurrency: number;
  };
  tagger: { backend: 'openai' | 'offline' | 'lexicon'; model: string; cacheTtlSeconds: number; indexCap: number };
  moderation: {
    backend: 'openai' | 'offline';
    model: string;
    flagCategories: ModerationCategory[];
    rules: { blocklist: string[]; maxLinks: number; maxMentions: number; maxRepeatedChars: number };
  };
  live: {
    maxPayloadBytes: number;
    connectionInitTimeoutMs: number;
    keepAliveMs: number;
    maxBufferedBytes: number;
    queueCapacity: number;
  };
  taste: {
    clickRateLimitPerMinute: number;
    dedupeWindowSeconds: number;
    clickedCap: number;
    halfLifeSeconds: number;
    popularHalfLifeSeconds: number;
    popularCap: number;
  };
  forYou: {
    weights: { taste: number; recency: number; follow: number; popular: number };
    recencyHalfLifeSeconds: number;
    topTags: number;
    homeCandidates: number;
    tagCandidates: number;
    popularCandidates: number;
    snapshotSize: number;
    snapshotTtlSeconds: number;
  };
  localDataDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `host:port,host:port` → addresses; undefined when unset; ConfigError naming any malformed entry. */
function parseClusterNodes(value: string | undefined): { host: string; port: number }[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const bad = entries.filter((n) => !/^[^:\s]+:\d{1,5}$/.test(n) || Number(n.slice(n.lastIndexOf(':') + 1)) > 65535);
  if (entries.length === 0 || bad.length > 0) {
    throw new ConfigError(`invalid configuration:\n  REDIS_CLUSTER_NODES: expected host:port,…; not host:port: ${bad.join(', ') || '(empty)'}`);
  }
  return entries.map((n) => ({ host: n.slice(0, n.lastIndexOf(':')), port: Number(n.slice(n.lastIndexOf(':') + 1)) }));
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
  const brokers = e.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers) {
    const bad = brokers.filter((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
    if (bad.length > 0) throw new ConfigError(`invalid configuration:\n  KAFKA_BROKERS: not host:port: ${bad.join(', ')}`);
  }
  if (e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL)) {
    throw new ConfigError('invalid configuration:\n  REDIS_URL: must start with redis:// or rediss://');
  }
  const clusterNodes = parseClusterNodes(e.REDIS_CLUSTER_NODES);
  if (clusterNodes && e.REDIS_URL) {
    throw new ConfigError('invalid configuration:\n  REDIS_CLUSTER_NODES: set either it (a Redis Cluster) or REDIS_URL (one Redis), not both');
  }
  const wantsOpenAI = e.TAGGER_BACKEND === 'openai' || e.MODERATION_BACKEND === 'openai';
  if (wantsOpenAI && !e.OPENAI_API_KEY) {
    throw new ConfigError(
      'invalid configuration:\n  OPENAI_API_KEY: required when a backend is openai (any value for servers without auth)',
    );
  }
  return {
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, opsPort: e.OPS_PORT, introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production' },
    logLevel: e.LOG_LEVEL,
    rateLimits: { mutationsPerMinute: e.MUTATION_RATE_LIMIT, authPerMinute: e.AUTH_RATE_LIMIT },
    kafka: { brokers, clientId: e.KAFKA_CLIENT_ID, namespace: e.KAFKA_NAMESPACE, partitions: e.KAFKA_PARTITIONS },
    redis: { url: e.REDIS_URL, clusterNodes },
    auth: { jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET, jwtTtlSeconds: e.JWT_TTL_SECONDS, usingDevSecret: !e.JWT_SECRET },
    workerId: e.WORKER_ID,
    timeline: {
      cap: e.TIMELINE_CAP,
      authorTweetsCap: e.AUTHOR_TWEETS_CAP,
      fanoutChunkSize: e.FANOUT_CHUNK_SIZE,
      celebrityThreshold: e.FANOUT_CELEBRITY_THRESHOLD,
      splitAbove: e.FANOUT_SPLIT_ABOVE,
      maxPageSize: e.MAX_PAGE_SIZE,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      concurrency: e.LLM_CONCURRENCY,
    },
    tagger: {
      backend: e.TAGGER_BACKEND ?? (e.OPENAI_API_KEY ? 'openai' : 'offline'),
      model: e.TAGGER_MODEL,
      cacheTtlSeconds: e.TAG_CACHE_TTL_SECONDS,
      indexCap: e.TAG_INDEX_CAP,
    },
    moderation: {
      backend: e.MODERATION_BACKEND ?? (e.OPENAI_API_KEY ? 'openai' : 'offline'),
      model: e.MODERATION_MODEL,
      flagCategories:
        e.MODERATION_FLAG_CATEGORIES === undefined
          ? [...DEFAULT_FLAG_CATEGORIES]
          : [...new Set(e.MODERATION_FLAG_CATEGORIES.split(',').map((c) => c.trim().toLowerCase()).filter(isModerationCategory))],
      rules: {
        blocklist: e.MODERATION_BLOCKLIST
          ? e.MODERATION_BLOCKLIST.split(',')
              .map((t) => t.trim().toLowerCase())
              .filter(Boolean)
          : DEFAULT_BLOCKLIST,
        maxLinks: e.MODERATION_MAX_LINKS,
        maxMentions: e.MODERATION_MAX_MENTIONS,
        maxRepeatedChars: e.MODERATION_MAX_REPEATED_CHARS,
      },
    },
    live: {
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
      keepAliveMs: e.WS_KEEPALIVE_MS,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      queueCapacity: e.WS_QUEUE_CAPACITY,
    },
    taste: {
      clickRateLimitPerMinute: e.CLICK_RATE_LIMIT,
      dedupeWindowSeconds: e.CLICK_DEDUPE_WINDOW_SECONDS,
      clickedCap: e.CLICKED_CAP,
      halfLifeSeconds: e.TASTE_HALF_LIFE_SECONDS,
      popularHalfLifeSeconds: e.POPULAR_HALF_LIFE_SECONDS,
      popularCap: e.POPULAR_CAP,
    },
    forYou: {
      weights: { taste: e.FORYOU_WEIGHT_TASTE, recency: e.FORYOU_WEIGHT_RECENCY, follow: e.FORYOU_WEIGHT_FOLLOW, popular: e.FORYOU_WEIGHT_POPULAR },
      recencyHalfLifeSeconds: e.FORYOU_RECENCY_HALF_LIFE_SECONDS,
      topTags: e.FORYOU_TOP_TAGS,
      homeCandidates: e.FORYOU_HOME_CANDIDATES,
      tagCandidates: e.FORYOU_TAG_CANDIDATES,
      popularCandidates: e.FORYOU_POPULAR_CANDIDATES,
      snapshotSize: e.FORYOU_SNAPSHOT_SIZE,
      snapshotTtlSeconds: e.FORYOU_SNAPSHOT_TTL_SECONDS,
    },
    localDataDir: e.LOCAL_DATA_DIR,
  };
}
