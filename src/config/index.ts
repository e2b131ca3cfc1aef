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

/** Rules that span several settings, checked after each one parsed; each returns a problem or null. */
const CROSS_CHECKS: readonly ((c: Config) => string | null)[] = [
  (c) => (c.env === 'production' && !c.auth.jwtSecret ? 'JWT_SECRET: required when NODE_ENV=production' : null),
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
  if (problems.length === 0) problems.push(...CROSS_CHECKS.map((check) => check(config)).filter((p): p is string => p !== null));
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}
