import { DEFAULT_FLAG_CATEGORIES, isModerationCategory, MODERATION_CATEGORIES, type ModerationCategory } from '../domain/moderation/categories.js';
import { DEFAULT_BLOCKLIST } from '../domain/moderation/patterns.js';
import { Secret } from './secret.js';
import { STRONG_SECRET_HINT, weakSecretReason } from './secret-strength.js';
import {
  boolean,
  decimal,
  hostPort,
  integer,
  list,
  oneOf,
  pemCertificateFile,
  pemKeyFile,
  redisUrl,
  secret,
  secretFile,
  setting,
  SettingError,
  text,
  url,
  type Parser,
} from './setting.js';

/**
 * Every setting the service reads, each declared once: variable, parser, default, unit and doc.
 * `Config` (index.ts) is this tree's values, and the README's configuration table is rendered
 * from it (`npm run docs:config`; a test fails when the README is stale). Add a setting here and
 * nowhere else.
 */

const DAY = 24 * 60 * 60;
const hostPortText = text({ pattern: /^[^:\s]+:\d{1,5}$/, expected: 'host:port' });

/** `openai` or `offline`; the former `rules` value names its replacement. */
const moderationBackend: Parser<'openai' | 'offline'> = (raw) => {
  if (raw === 'rules') throw new SettingError('the rules moderator was replaced by `offline` (word lists, patterns and a trained classifier): set offline');
  return oneOf(['openai', 'offline'] as const)(raw);
};

/** Comma-separated moderation categories, or `none` for none. */
const flagCategories: Parser<ModerationCategory[]> = (raw) => {
  if (raw.trim().toLowerCase() === 'none') return [];
  const names = raw.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (!names.every(isModerationCategory)) throw new SettingError(`each must be one of ${MODERATION_CATEGORIES.join(', ')} (or the whole value none)`);
  return [...new Set(names)] as ModerationCategory[];
};

/** A signing secret that is not obviously guessable (secret-strength.ts); never echoed. */
const strongSecret: Parser<Secret> = (raw) => {
  const weakness = weakSecretReason(raw);
  if (weakness) throw new SettingError(`too weak: it ${weakness}; ${STRONG_SECRET_HINT}`);
  return new Secret(raw);
};
const strongSecretFile: Parser<Secret> = Object.assign((path: string) => strongSecret(secretFile(path).reveal()), { expected: 'a readable file' });

/** A credential given inline or, by default, read from the file its `_FILE` setting names. */
const secretSetting = (env: string, doc: string) =>
  setting<Secret | undefined>(env, secret, {
    default: { derive: (get) => get(`${env}_FILE`) as Secret | undefined, doc: `unset: the contents of \`${env}_FILE\`` },
    doc: `${doc}; never logged`,
  });
const secretFileSetting = (env: string) =>
  setting(`${env}_FILE`, secretFile, {
    doc: `file holding \`${env}\` (a mounted secret; one trailing newline is ignored); set one of the two`,
  });

export const SETTINGS = {
  env: setting('NODE_ENV', oneOf(['development', 'production', 'test'] as const), {
    default: 'development',
    doc: '`production` requires `JWT_SECRET`, hides internal error details, disables introspection',
  }),
  logLevel: setting('LOG_LEVEL', oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), {
    default: 'info',
    doc: 'pino level',
  }),
  logFormat: setting('LOG_FORMAT', oneOf(['auto', 'pretty', 'json'] as const), {
    default: 'auto',
    doc: '`pretty` (short lines for a person), `json` (a JSON object a line), or `auto`: pretty when stdout is a terminal',
  }),
  http: {
    host: setting('HOST', text(), { default: '127.0.0.1', doc: 'interface to bind (`0.0.0.0` in containers)' }),
    port: setting('PORT', integer(0, 65535), { default: 4000, doc: 'HTTP port of the API' }),
    opsPort: setting('OPS_PORT', integer(0, 65535), {
      default: 0,
      defaultDoc: '`0` (any free port, logged)',
      doc: '`/healthz`, `/readyz` and `/metrics` of every process; keep it off the public network (the API port serves `/healthz` and `/readyz` too, never `/metrics`)',
    }),
    metricsOperationNames: setting('METRICS_OPERATION_NAMES', integer(0, 10_000), {
      default: 100,
      doc: 'distinct GraphQL operation names that get their own `operation` label in `graphql_operation*` metrics; later ones, and names over 64 characters, count as `other`',
    }),
    trustProxyHops: setting('TRUST_PROXY_HOPS', integer(0, 10), {
      default: 0,
      doc: 'proxies in front of the API that append to `X-Forwarded-For` (a load balancer: 1): the client address of sign-in budgets is that many entries from its right; 0 uses the connection\'s address and ignores the header',
    }),
    introspection: setting('GRAPHQL_INTROSPECTION', boolean, {
      default: { derive: (get) => get('NODE_ENV') !== 'production', doc: 'on outside production' },
      doc: 'serve GraphQL introspection',
    }),
  },
  rateLimits: {
    mutationsPerMinute: setting('MUTATION_RATE_LIMIT', integer(1, 1_000_000), {
      default: 120,
      unit: 'per minute',
      doc: 'postTweet/deleteTweet/follow/unfollow/mute/unmute/block/unblock per user, one shared budget; more get `RATE_LIMITED` with `retryAfterSeconds`',
    }),
    authPerMinute: setting('AUTH_RATE_LIMIT', integer(1, 1_000_000), {
      default: 10,
      unit: 'per minute',
      doc: 'logIn attempts per client address (see `TRUST_PROXY_HOPS`), whatever the handle',
    }),
    authHandleFailuresPerMinute: setting('AUTH_HANDLE_FAILURE_LIMIT', integer(1, 1_000_000), {
      default: 30,
      unit: 'per minute',
      doc: 'failed logIn attempts per handle from all addresses together; past it the handle is refused except from addresses it signed in from lately',
    }),
    knownAddressDays: setting('AUTH_KNOWN_ADDRESS_DAYS', integer(1, 365), {
      default: 30,
      unit: 'days',
      doc: 'how long an address a handle signed in from successfully may still sign in while that handle\'s failure budget is spent',
    }),
    signUpsPerHour: setting('SIGNUP_RATE_LIMIT', integer(1, 1_000_000), {
      default: 20,
      unit: 'per hour',
      doc: 'signUp attempts per client address',
    }),
  },
  kafka: {
    brokers: setting('KAFKA_BROKERS', list(hostPortText), {
      defaultDoc: 'unset: a local broker is started (all-in-one) or the one from `npm run services` is used',
      doc: '`host:port,…` of the Kafka brokers',
    }),
    clientId: setting('KAFKA_CLIENT_ID', text(), { default: 'timeline', doc: 'Kafka client id' }),
    namespace: setting('KAFKA_NAMESPACE', text({ minLength: 0, pattern: /^[A-Za-z0-9._-]*$/, expected: 'letters, digits, ".", "_" or "-"' }), {
      default: '',
      defaultDoc: 'empty',
      doc: 'prefix of every topic and consumer group name (several deployments on one broker)',
    }),
    partitions: setting('KAFKA_PARTITIONS', integer(1, 1000), { default: 10, doc: 'partitions of the topics the service creates' }),
    tls: {
      enabled: setting('KAFKA_TLS', boolean, {
        default: false,
        doc: 'connect to `KAFKA_BROKERS` over TLS (their listener is `SSL` or `SASL_SSL`, as on managed Kafka)',
      }),
      caFile: setting('KAFKA_TLS_CA_FILE', pemCertificateFile, {
        defaultDoc: "unset: the system's trusted CAs",
        doc: "PEM file of the CA certificate(s) that signed the brokers' certificates (a private CA)",
      }),
      certFile: setting('KAFKA_TLS_CERT_FILE', pemCertificateFile, {
        doc: 'PEM client certificate (chain) for brokers that require mutual TLS, with `KAFKA_TLS_KEY_FILE`',
      }),
      keyFile: setting('KAFKA_TLS_KEY_FILE', pemKeyFile, { doc: 'PEM private key (unencrypted) of `KAFKA_TLS_CERT_FILE`' }),
    },
    sasl: {
      mechanism: setting('KAFKA_SASL_MECHANISM', oneOf(['plain', 'scram-sha-256', 'scram-sha-512'] as const), {
        defaultDoc: 'unset: no SASL',
        doc: 'SASL authentication: `scram-sha-512`, `scram-sha-256` or `plain` (PLAIN only with `KAFKA_TLS`: it sends the password as is)',
      }),
      username: setting('KAFKA_SASL_USERNAME', text(), { doc: 'SASL user (on Confluent Cloud: the API key)' }),
      password: secretSetting('KAFKA_SASL_PASSWORD', 'SASL password (on Confluent Cloud: the API secret)'),
      passwordFile: secretFileSetting('KAFKA_SASL_PASSWORD'),
    },
  },
  redis: {
    url: setting('REDIS_URL', redisUrl, {
      defaultDoc: 'unset: as for Kafka',
      doc: '`redis://[user:password@]host:port/db` of one Redis; `rediss://` for TLS',
    }),
    clusterNodes: setting('REDIS_CLUSTER_NODES', list(hostPort), {
      doc: '`host:port,…` seed nodes of a Redis Cluster (any few masters); set it *instead of* `REDIS_URL`; never started locally',
    }),
    username: setting('REDIS_USERNAME', text(), {
      defaultDoc: 'unset: the user in `REDIS_URL`, else `default`',
      doc: 'ACL user (Redis 6+) for one Redis or every cluster node; needs a password',
    }),
    password: secretSetting('REDIS_PASSWORD', 'password of the ACL user (or `requirepass`) for one Redis or every cluster node'),
    passwordFile: secretFileSetting('REDIS_PASSWORD'),
    tls: {
      enabled: setting('REDIS_TLS', boolean, {
        default: { derive: (get) => /^rediss:/i.test(String(get('REDIS_URL') ?? '')), doc: 'on for a `rediss://` URL' },
        doc: 'TLS to Redis: to one Redis or to every cluster node',
      }),
      caFile: setting('REDIS_TLS_CA_FILE', pemCertificateFile, {
        defaultDoc: "unset: the system's trusted CAs",
        doc: "PEM file of the CA certificate(s) that signed the Redis servers' certificates",
      }),
      certFile: setting('REDIS_TLS_CERT_FILE', pemCertificateFile, {
        doc: 'PEM client certificate for servers that require one (`tls-auth-clients yes`), with `REDIS_TLS_KEY_FILE`',
      }),
      keyFile: setting('REDIS_TLS_KEY_FILE', pemKeyFile, { doc: 'PEM private key (unencrypted) of `REDIS_TLS_CERT_FILE`' }),
    },
  },
  auth: {
    jwtSecret: setting<Secret | undefined>('JWT_SECRET', strongSecret, {
      default: {
        derive: (get) => get('JWT_SECRET_FILE') as Secret | undefined,
        doc: 'unset: the contents of `JWT_SECRET_FILE`; with neither, outside production, a random secret made at first start and kept in `LOCAL_DATA_DIR/jwt-secret` (mode 0600)',
      },
      doc: 'HS256 signing secret; never logged; required in production. Refused when obviously weak: under 32 characters, fewer than 10 distinct ones, a repeated pattern, a run like `abcd…`, or a placeholder word (`changeme`, `secret key`, `example`…): use `openssl rand -hex 32`',
    }),
    jwtSecretFile: setting('JWT_SECRET_FILE', strongSecretFile, {
      doc: 'file holding `JWT_SECRET` (a mounted secret; one trailing newline is ignored), checked alike; set one of the two',
    }),
    jwtTtlSeconds: setting('JWT_TTL_SECONDS', integer(60, 365 * DAY), {
      default: 7 * DAY,
      unit: 's',
      doc: 'token lifetime; a websocket opened with a token is closed (4403) when it expires',
    }),
    passwordHashConcurrency: setting('PASSWORD_HASH_CONCURRENCY', integer(1, 64), {
      default: 2,
      doc: 'scrypt computations at once per process (each takes a libuv thread, 4 by default, and 16 MB); logins wait before sign-ups',
    }),
  },
  workerId: setting('WORKER_ID', integer(0, 1023), { default: 0, doc: 'Snowflake worker id 0–1023; give every API instance its own' }),
  timeline: {
    cap: setting('TIMELINE_CAP', integer(20, 100_000), { default: 800, doc: 'entries kept per home timeline' }),
    authorTweetsCap: setting('AUTHOR_TWEETS_CAP', integer(20, 1_000_000), {
      default: 3200,
      doc: 'tweet ids kept per author (profile pages, follow merges)',
    }),
    activeDays: setting('TIMELINE_ACTIVE_DAYS', integer(1, 3650), {
      default: 7,
      unit: 'days',
      doc: 'a user is active while they have read their home timeline or posted within this many days: fan-out writes only active users\' timelines, an inactive one expires, and a returning user\'s first read rebuilds it (`pageInfo.partial` meanwhile)',
    }),
    fanoutChunkSize: setting('FANOUT_CHUNK_SIZE', integer(1, 100_000), {
      default: 1000,
      doc: 'followers written per Redis call during fan-out; also the size of a parallel slice',
    }),
    celebrityThreshold: setting('FANOUT_CELEBRITY_THRESHOLD', integer(1, 1_000_000_000), {
      default: 50_000,
      doc: 'authors with at least this many followers are merged into timelines at read time instead of fanned out',
    }),
    splitAbove: setting('FANOUT_SPLIT_ABOVE', integer(1, 1_000_000_000), {
      default: 20_000,
      doc: 'fan-outs to more followers are split into slices for the `fanout-slices` group',
    }),
    maxPageSize: setting('MAX_PAGE_SIZE', integer(1, 1000), { default: 100, doc: 'largest `first` a connection accepts' }),
    liveCatchUpLimit: setting('LIVE_CATCH_UP_LIMIT', integer(1, 100_000), {
      default: {
        derive: (get) => Math.min(get('TIMELINE_CAP') as number, get('AUTHOR_TWEETS_CAP') as number) - 1,
        doc: 'the smaller of `TIMELINE_CAP` and `AUTHOR_TWEETS_CAP`, minus 1',
      },
      doc: 'most entries `subscription { homeTimeline(after:) }` catches up on; further behind is `CURSOR_TOO_OLD`. Below both caps, so a cursor a timeline was trimmed past is always refused',
    }),
    liveCatchUpWaitMs: setting('LIVE_CATCH_UP_WAIT_MS', integer(0, 60_000), {
      default: 2_000,
      unit: 'ms',
      doc: 'how long a catch-up waits for entries whose tweet the `tweet-store` group has not stored yet before leaving them out',
    }),
  },
  llm: {
    apiKey: setting('OPENAI_API_KEY', text(), { doc: 'key for the OpenAI-compatible server (any value if it needs none)' }),
    baseURL: setting('OPENAI_BASE_URL', url, {
      defaultDoc: 'api.openai.com',
      doc: 'e.g. `http://127.0.0.1:8000/v1` for vLLM, Ollama, llama.cpp',
    }),
    timeoutMs: setting('LLM_TIMEOUT_MS', integer(100, 600_000), { default: 10_000, unit: 'ms', doc: 'per attempt' }),
    maxRetries: setting('LLM_MAX_RETRIES', integer(0, 10), {
      default: 3,
      doc: 'on 429, 5xx and timeouts, exponential backoff, Retry-After honoured',
    }),
    concurrency: setting('LLM_CONCURRENCY', integer(1, 256), { default: 4, doc: 'LLM requests in flight per process' }),
  },
  tagger: {
    backend: setting('TAGGER_BACKEND', oneOf(['openai', 'offline', 'lexicon'] as const), {
      default: { derive: (get) => (get('OPENAI_API_KEY') ? 'openai' : 'offline'), doc: '`openai` with an API key, else `offline`' },
      doc: 'who chooses tags: `openai`, `offline` (the trained model) or `lexicon` (its keyword lists alone)',
    }),
    model: setting('TAGGER_MODEL', text(), { default: 'gpt-4o-mini', doc: 'model of the LLM tagger' }),
    cacheTtlSeconds: setting('TAG_CACHE_TTL_SECONDS', integer(60, 365 * DAY), {
      default: 30 * DAY,
      unit: 's',
      doc: 'how long an LLM answer is reused for the same text',
    }),
    indexCap: setting('TAG_INDEX_CAP', integer(10, 1_000_000), { default: 1000, doc: 'recent tweet ids kept per tag' }),
  },
  moderation: {
    backend: setting('MODERATION_BACKEND', moderationBackend, {
      default: { derive: (get) => (get('OPENAI_API_KEY') ? 'openai' : 'offline'), doc: '`openai` with an API key, else `offline`' },
      doc: 'who checks guidelines: `openai` or `offline` (word lists, patterns and a trained classifier)',
    }),
    flagCategories: setting('MODERATION_FLAG_CATEGORIES', flagCategories, {
      default: [...DEFAULT_FLAG_CATEGORIES],
      doc: 'comma-separated moderation categories whose high-severity labels hide a tweet; `none` hides nothing',
    }),
    model: setting('MODERATION_MODEL', text(), { default: 'omni-moderation-latest', doc: 'model of the LLM moderator' }),
    rules: {
      blocklist: setting('MODERATION_BLOCKLIST', list((term) => term.toLowerCase()), {
        default: [...DEFAULT_BLOCKLIST],
        defaultDoc: 'a few spam phrases',
        doc: 'comma-separated phrases the offline moderator labels as spam (whole words, any case, after normalisation)',
      }),
      maxLinks: setting('MODERATION_MAX_LINKS', integer(0, 100), { default: 3, doc: 'more links than this is spam' }),
      maxMentions: setting('MODERATION_MAX_MENTIONS', integer(0, 100), { default: 5, doc: 'more @mentions than this is spam' }),
      maxRepeatedChars: setting('MODERATION_MAX_REPEATED_CHARS', integer(2, 280), {
        default: 9,
        doc: 'a character repeated more often than this in a row is spam',
      }),
    },
  },
  live: {
    maxPayloadBytes: setting('WS_MAX_PAYLOAD_BYTES', integer(1024, 16 * 1024 * 1024), {
      default: 64 * 1024,
      unit: 'bytes',
      doc: 'largest websocket frame',
    }),
    connectionInitTimeoutMs: setting('WS_CONNECTION_INIT_TIMEOUT_MS', integer(100, 60_000), {
      default: 5_000,
      unit: 'ms',
      doc: 'time allowed for `connection_init`',
    }),
    keepAliveMs: setting('WS_KEEPALIVE_MS', integer(1_000, 300_000), { default: 12_000, unit: 'ms', doc: 'ping interval' }),
    maxBufferedBytes: setting('WS_MAX_BUFFERED_BYTES', integer(1024, 256 * 1024 * 1024), {
      default: 1024 * 1024,
      unit: 'bytes',
      doc: 'unsent bytes before a client is dropped as slow',
    }),
    queueCapacity: setting('WS_QUEUE_CAPACITY', integer(1, 100_000), {
      default: 256,
      doc: 'queued events per subscription before a client is dropped as slow',
    }),
    maxSubscriptionsPerSocket: setting('WS_MAX_SUBSCRIPTIONS_PER_SOCKET', integer(1, 10_000), {
      default: 50,
      doc: 'running subscriptions one websocket may hold; one more is refused with `TOO_MANY_SUBSCRIPTIONS` (the socket stays open)',
    }),
    maxSocketsPerUser: setting('WS_MAX_SOCKETS_PER_USER', integer(1, 10_000), {
      default: 10,
      doc: 'open websockets per user on one API instance; one more is closed with 4429',
    }),
  },
  taste: {
    clickRateLimitPerMinute: setting('CLICK_RATE_LIMIT', integer(1, 100_000), {
      default: 60,
      unit: 'per minute',
      doc: '`recordClick` calls per user; more are `RATE_LIMITED`',
    }),
    dedupeWindowSeconds: setting('CLICK_DEDUPE_WINDOW_SECONDS', integer(1, 365 * DAY), {
      default: DAY,
      unit: 's',
      doc: 'clicks by one user on one tweet this close count once',
    }),
    clickedCap: setting('CLICKED_CAP', integer(10, 1_000_000), {
      default: 1000,
      doc: 'clicked tweet ids remembered per user (excluded from forYou)',
    }),
    halfLifeSeconds: setting('TASTE_HALF_LIFE_SECONDS', integer(60, 10 * 365 * DAY), {
      default: 7 * DAY,
      unit: 's',
      doc: "a click's weight in a taste halves in this time",
    }),
    popularHalfLifeSeconds: setting('POPULAR_HALF_LIFE_SECONDS', integer(60, 365 * DAY), {
      default: DAY,
      unit: 's',
      doc: "a click's weight in the recently-popular set halves in this time",
    }),
    popularCap: setting('POPULAR_CAP', integer(10, 1_000_000), { default: 1000, doc: 'tweets kept in the recently-popular set' }),
    likeRateLimitPerMinute: setting('LIKE_RATE_LIMIT', integer(1, 100_000), {
      default: 60,
      unit: 'per minute',
      doc: '`likeTweet` and `unlikeTweet` calls per user, together; more are `RATE_LIMITED`',
    }),
    editRateLimitPerMinute: setting('TASTE_EDIT_RATE_LIMIT', integer(1, 100_000), {
      default: 30,
      unit: 'per minute',
      doc: '`notInterested`, `removeTasteTag` and `setInterests` calls per user, together; more are `RATE_LIMITED`',
    }),
    hiddenCap: setting('NOT_INTERESTED_CAP', integer(10, 1_000_000), {
      default: 1000,
      doc: 'tweets marked not interested remembered per user (kept out of forYou)',
    }),
    signalWeights: {
      click: setting('TASTE_WEIGHT_CLICK', decimal(0, 1000), { default: 1, doc: "what a click adds to each of the tweet's tags" }),
      like: setting('TASTE_WEIGHT_LIKE', decimal(0, 1000), {
        default: 3,
        doc: "what a like adds to each of the tweet's tags (an unlike takes it back); above a click, as in real rankers",
      }),
      notInterested: setting('TASTE_WEIGHT_NOT_INTERESTED', decimal(-1000, 0), {
        default: -10,
        doc: "what `notInterested` adds to the tweet's author: far below zero",
      }),
      notInterestedTag: setting('TASTE_WEIGHT_NOT_INTERESTED_TAG', decimal(-1000, 0), {
        default: -0.5,
        doc: "what `notInterested` adds to each of the tweet's tags: small, as tags are a guess (on real tweets a wrong tag is often a liked one, the reason the tweet was shown); a few on one topic still turn it negative",
      }),
      interest: setting('TASTE_WEIGHT_INTEREST', decimal(0, 1000), {
        default: 5,
        doc: 'weight of a tag chosen with `setInterests`, added to what signals taught (does not decay)',
      }),
    },
  },
  forYou: {
    weights: {
      taste: setting('FORYOU_WEIGHT_TASTE', decimal(0, 100), { default: 1, doc: 'score weight of taste affinity (0..1)' }),
      recency: setting('FORYOU_WEIGHT_RECENCY', decimal(0, 100), { default: 0.3, doc: 'score weight of recency (0..1)' }),
      follow: setting('FORYOU_WEIGHT_FOLLOW', decimal(0, 100), { default: 0.2, doc: 'score bonus for a followed author' }),
      popular: setting('FORYOU_WEIGHT_POPULAR', decimal(0, 100), { default: 0.2, doc: 'score weight of popularity (0..1)' }),
      author: setting('FORYOU_WEIGHT_AUTHOR', decimal(0, 100), {
        default: 1,
        doc: "score weight of the author's share in your taste (−1..0: authors of tweets you were not interested in)",
      }),
    },
    varietyWindow: setting('FORYOU_VARIETY_WINDOW', integer(1, 1000), {
      default: 10,
      doc: 'variety: in any this many consecutive forYou entries, across pages too, one author has at most `FORYOU_VARIETY_MAX_PER_AUTHOR`',
    }),
    varietyMaxPerAuthor: setting('FORYOU_VARIETY_MAX_PER_AUTHOR', integer(1, 1000), {
      default: 2,
      doc: 'most entries of one author in any `FORYOU_VARIETY_WINDOW` consecutive forYou entries (set it to the window to turn variety off)',
    }),
    recencyHalfLifeSeconds: setting('FORYOU_RECENCY_HALF_LIFE_SECONDS', integer(60, 365 * DAY), {
      default: DAY,
      unit: 's',
      doc: 'age at which the recency term halves',
    }),
    topTags: setting('FORYOU_TOP_TAGS', integer(1, 50), { default: 5, doc: 'heaviest tags whose tag index feeds candidates' }),
    homeCandidates: setting('FORYOU_HOME_CANDIDATES', integer(0, 10_000), { default: 200, doc: 'candidates read from the home timeline' }),
    tagCandidates: setting('FORYOU_TAG_CANDIDATES', integer(0, 10_000), { default: 100, doc: 'candidates read per top tag' }),
    popularCandidates: setting('FORYOU_POPULAR_CANDIDATES', integer(0, 10_000), {
      default: 100,
      doc: 'candidates read from the popular set',
    }),
    snapshotSize: setting('FORYOU_SNAPSHOT_SIZE', integer(1, 100_000), { default: 500, doc: 'entries a ranking keeps for paging' }),
    snapshotTtlSeconds: setting('FORYOU_SNAPSHOT_TTL_SECONDS', integer(10, DAY), {
      default: 600,
      unit: 's',
      doc: 'how long a ranking is kept for paging',
    }),
    snapshotsPerUser: setting('FORYOU_SNAPSHOTS_PER_USER', integer(1, 1000), {
      default: 5,
      doc: 'rankings kept per user at once (one per first page; every `forYou` of one request shares one); a newer one drops the oldest, whose cursors then say "cursor expired, start again"',
    }),
  },
  notifications: {
    groupsCap: setting('NOTIFICATIONS_CAP', integer(1, 10_000), {
      default: 200,
      doc: 'notification groups kept per user ("alice and 3 others liked your tweet" is one); the oldest go first',
    }),
    actorsCap: setting('NOTIFICATIONS_ACTORS_CAP', integer(1, 1000), {
      default: 20,
      doc: "actors kept per notification group for `actors(first)` (newest first); `actorCount` goes on counting past it",
    }),
    ttlDays: setting('NOTIFICATIONS_TTL_DAYS', integer(1, 365), {
      default: 30,
      unit: 'days',
      doc: "a user's notifications expire this long after their last change; older activity (a rebuild replaying it) is not recorded",
    }),
    mentionsPerTweet: setting('MENTIONS_PER_TWEET', integer(0, 50), {
      default: 10,
      doc: 'distinct `@handle`s of a tweet looked up as mentions (the rest stay plain text)',
    }),
  },
  localDataDir: setting('LOCAL_DATA_DIR', text(), { default: '.local', doc: 'where local broker and Redis data live (relative to the repo)' }),
};
