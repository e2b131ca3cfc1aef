import { SettingError, type Lookup, type Setting } from './setting.js';
import { SETTINGS } from './settings.js';

/** A tree of declared settings (settings.ts). */
export interface SettingsTree {
  readonly [key: string]: Setting<unknown> | SettingsTree;
}

/** The values of a settings tree, in its shape. */
export type ValuesOf<T> = T extends Setting<infer V> ? V : { readonly [K in keyof T]: ValuesOf<T[K]> };

/** Every setting of the service, parsed and validated: the values of SETTINGS. */
export type Config = ValuesOf<typeof SETTINGS>;

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Whether a variable was given (non-empty): for rules about what the operator set, not what defaulted. */
type IsSet = (env: string) => boolean;

/** The names among `names` that are set, joined for a message; empty when none is. */
const setAmong = (isSet: IsSet, names: readonly string[]) => names.filter(isSet).join(', ');

/** The user and whether a password is in a REDIS_URL (the parser has checked it is a URL). */
function redisUrlCredentials(url: string | undefined): { user: boolean; password: boolean } {
  if (!url) return { user: false, password: false };
  const parsed = new URL(url);
  return { user: parsed.username !== '', password: parsed.password !== '' };
}

/** Rules about connecting to Kafka and Redis with TLS and credentials (README: Connecting to managed Kafka and Redis). */
const CONNECTION_CHECKS: readonly ((c: Config, isSet: IsSet) => string | null)[] = [
  (_, isSet) => (isSet('KAFKA_SASL_PASSWORD') && isSet('KAFKA_SASL_PASSWORD_FILE') ? 'KAFKA_SASL_PASSWORD_FILE: set it or KAFKA_SASL_PASSWORD, not both' : null),
  ({ kafka: { sasl } }) =>
    sasl.mechanism && (!sasl.username || !sasl.password)
      ? 'KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)'
      : null,
  ({ kafka: { sasl } }, isSet) =>
    !sasl.mechanism && (sasl.username || sasl.password)
      ? `${setAmong(isSet, ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'])}: set KAFKA_SASL_MECHANISM too (scram-sha-512, scram-sha-256 or plain)`
      : null,
  ({ kafka }) =>
    kafka.sasl.mechanism === 'plain' && !kafka.tls.enabled
      ? 'KAFKA_SASL_MECHANISM: plain sends the password as it is, so it needs KAFKA_TLS=true (or use scram-sha-512)'
      : null,
  ({ kafka: { tls } }, isSet) => {
    const files = setAmong(isSet, ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE']);
    return !tls.enabled && files ? `${files}: take effect only with KAFKA_TLS=true` : null;
  },
  ({ kafka: { tls } }) =>
    !tls.certFile !== !tls.keyFile ? 'KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE: a client certificate needs its key, and a key its certificate' : null,
  ({ kafka }) =>
    !kafka.brokers && (kafka.tls.enabled || kafka.sasl.mechanism)
      ? 'KAFKA_TLS, KAFKA_SASL_*: apply to KAFKA_BROKERS, which is unset (a broker started locally is plaintext, without users)'
      : null,

  (_, isSet) => (isSet('REDIS_PASSWORD') && isSet('REDIS_PASSWORD_FILE') ? 'REDIS_PASSWORD_FILE: set it or REDIS_PASSWORD, not both' : null),
  ({ redis }) => {
    const inUrl = redisUrlCredentials(redis.url);
    if (inUrl.user && redis.username) return 'REDIS_USERNAME: REDIS_URL names a user already; set the user in one place';
    if (inUrl.password && redis.password) return 'REDIS_PASSWORD: REDIS_URL holds a password already; set the password in one place';
    if ((inUrl.user || redis.username) && !(inUrl.password || redis.password)) {
      return 'REDIS_USERNAME: an ACL user needs a password (REDIS_PASSWORD, REDIS_PASSWORD_FILE or in REDIS_URL)';
    }
    return null;
  },
  ({ redis }, isSet) =>
    isSet('REDIS_TLS') && !redis.tls.enabled && /^rediss:/i.test(redis.url ?? '') ? 'REDIS_TLS: false contradicts the rediss:// of REDIS_URL' : null,
  ({ redis: { tls } }, isSet) => {
    const files = setAmong(isSet, ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE']);
    return !tls.enabled && files ? `${files}: take effect only with REDIS_TLS=true or a rediss:// URL` : null;
  },
  ({ redis: { tls } }) =>
    !tls.certFile !== !tls.keyFile ? 'REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE: a client certificate needs its key, and a key its certificate' : null,
  ({ redis }) =>
    !redis.url && !redis.clusterNodes && (redis.tls.enabled || redis.username || redis.password)
      ? 'REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS*: apply to REDIS_URL or REDIS_CLUSTER_NODES, neither of which is set (a Redis started locally is plaintext, without a password)'
      : null,
];

/** Rules that span several settings, checked after each one parsed; each returns a problem or null. */
const CROSS_CHECKS: readonly ((c: Config, isSet: IsSet) => string | null)[] = [
  (c) =>
    c.env === 'production' && !c.auth.jwtSecret
      ? 'JWT_SECRET: required when NODE_ENV=production (or JWT_SECRET_FILE; e.g. `openssl rand -hex 32`): a secret generated on this machine would sign tokens no other instance accepts'
      : null,
  (_, isSet) => (isSet('JWT_SECRET') && isSet('JWT_SECRET_FILE') ? 'JWT_SECRET_FILE: set it or JWT_SECRET, not both' : null),
  (c) =>
    c.redis.clusterNodes && c.redis.url
      ? 'REDIS_CLUSTER_NODES: set either it (a Redis Cluster) or REDIS_URL (one Redis), not both'
      : null,
  (c) =>
    c.timeline.liveCatchUpLimit >= Math.min(c.timeline.cap, c.timeline.authorTweetsCap)
      ? 'LIVE_CATCH_UP_LIMIT: must be below TIMELINE_CAP and AUTHOR_TWEETS_CAP (else a cursor a timeline was trimmed past could pass with a gap)'
      : null,
  (c) =>
    (c.tagger.backend === 'openai' || c.moderation.backend === 'openai') && !c.llm.apiKey
      ? 'OPENAI_API_KEY: required when a backend is openai (any value for servers without auth)'
      : null,
  ...CONNECTION_CHECKS,
];

/** Every declared setting, depth first in declaration order (the README table's order). */
export function listSettings(tree: SettingsTree = SETTINGS as unknown as SettingsTree): Setting<unknown>[] {
  return Object.values(tree).flatMap((node) => (isSetting(node) ? [node] : listSettings(node)));
}

function isSetting(node: Setting<unknown> | SettingsTree): node is Setting<unknown> {
  return (node as Setting<unknown>).kind === 'setting';
}

/**
 * Parses and validates the environment once, at start; nothing else reads process.env.
 * Empty values count as unset (compose files and shells pass `VAR=` for optional settings).
 * Throws ConfigError naming every bad variable and what it allows.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const parsed = new Map<string, unknown>();
  const all = listSettings();
  for (const s of all) {
    const raw = env[s.env];
    if (raw === undefined || raw === '') continue;
    try {
      parsed.set(s.env, s.parse(raw));
    } catch (err) {
      if (!(err instanceof SettingError)) throw err;
      problems.push(`${s.env}: ${err.message}`);
    }
  }
  const byName = new Map(all.map((s) => [s.env, s]));
  const resolving = new Set<string>();
  const get: Lookup = (name) => {
    if (parsed.has(name)) return parsed.get(name);
    const s = byName.get(name);
    if (!s) throw new Error(`no setting named ${name}`);
    if (resolving.has(name)) throw new Error(`default of ${name} depends on itself`);
    resolving.add(name);
    const value = s.fallback(get);
    resolving.delete(name);
    parsed.set(name, value);
    return value;
  };
  const build = (tree: SettingsTree): Record<string, unknown> =>
    Object.fromEntries(Object.entries(tree).map(([key, node]) => [key, isSetting(node) ? get(node.env) : build(node)]));
  const config = build(SETTINGS as unknown as SettingsTree) as Config;
  const isSet: IsSet = (name) => env[name] !== undefined && env[name] !== '';
  if (problems.length === 0) problems.push(...CROSS_CHECKS.map((check) => check(config, isSet)).filter((p): p is string => p !== null));
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}
