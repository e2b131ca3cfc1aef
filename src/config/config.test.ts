import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 4000, opsPort: 0, metricsOperationNames: 100, trustProxyHops: 0, introspection: true });
    expect(c.kafka.brokers).toBeUndefined();
    expect(c.timeline.cap).toBe(800);
    expect(c.auth.jwtSecret).toBeUndefined();
  });

  it('parses brokers and overrides', () => {
    const c = loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093', PORT: '5000', TIMELINE_CAP: '100', REDIS_URL: 'redis://x:1' });
    expect(c.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(c.http.port).toBe(5000);
    expect(c.timeline.cap).toBe(100);
  });

  it('takes Redis Cluster seed nodes instead of a Redis URL, never both', () => {
    expect(loadConfig({}).redis).toMatchObject({ url: undefined, clusterNodes: undefined });
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001,' }).redis).toMatchObject({
      url: undefined,
      clusterNodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
      ],
    });
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'redis://x:1' })).toThrow(/REDIS_CLUSTER_NODES: set either/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:7000,b' })).toThrow(/not host:port: b$/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: ' , ' })).toThrow(ConfigError);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc', TIMELINE_CAP: '-3' })).toThrow(/PORT[\s\S]*TIMELINE_CAP|TIMELINE_CAP[\s\S]*PORT/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'nohost' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(ConfigError);
  });

  it('tags and moderates offline unless an API key is configured', () => {
    expect(loadConfig({}).tagger.backend).toBe('offline');
    expect(loadConfig({}).moderation.backend).toBe('offline');
    expect(loadConfig({ TAGGER_BACKEND: 'lexicon' }).tagger.backend).toBe('lexicon');
    const withKey = loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(withKey.tagger.backend).toBe('openai');
    expect(withKey.moderation.backend).toBe('openai');
    expect(() => loadConfig({ TAGGER_BACKEND: 'openai' })).toThrow(/OPENAI_API_KEY/);
    expect(loadConfig({ MODERATION_BLOCKLIST: ' Foo , bar baz ' }).moderation.rules.blocklist).toEqual(['foo', 'bar baz']);
  });

  it('says what replaced the rules moderator, and checks the flagging categories', () => {
    expect(() => loadConfig({ MODERATION_BACKEND: 'rules' })).toThrow(/MODERATION_BACKEND: the rules moderator was replaced by `offline`/);
    expect(() => loadConfig({ MODERATION_BACKEND: 'magic' })).toThrow(/MODERATION_BACKEND/);
    expect(loadConfig({}).moderation.flagCategories).toEqual(['hate', 'threat', 'spam']);
    expect(loadConfig({ MODERATION_FLAG_CATEGORIES: ' Spam, sexual ,' }).moderation.flagCategories).toEqual(['spam', 'sexual']);
    expect(loadConfig({ MODERATION_FLAG_CATEGORIES: 'none' }).moderation.flagCategories).toEqual([]);
    expect(() => loadConfig({ MODERATION_FLAG_CATEGORIES: 'spam,rudeness' })).toThrow(/MODERATION_FLAG_CATEGORIES: each must be one of profanity, insult/);
  });

  it('defaults taste and forYou as documented, and takes fractional weights', () => {
    const c = loadConfig({});
    expect(c.taste).toMatchObject({ clickRateLimitPerMinute: 60, halfLifeSeconds: 7 * 24 * 3600, dedupeWindowSeconds: 24 * 3600 });
    expect(c.forYou.weights).toEqual({ taste: 1, recency: 0.3, follow: 0.2, popular: 0.2, author: 1 });
    expect(c.forYou).toMatchObject({ varietyWindow: 10, varietyMaxPerAuthor: 2 });
    // Ordered as real rankers weigh them: a like above a click, negative feedback far below zero.
    const w = c.taste.signalWeights;
    expect(w.like).toBeGreaterThan(w.click);
    expect(w.notInterested).toBeLessThanOrEqual(-3 * w.like);
    expect(loadConfig({ TASTE_WEIGHT_NOT_INTERESTED: '-2.5' }).taste.signalWeights.notInterested).toBe(-2.5);
    expect(() => loadConfig({ TASTE_WEIGHT_NOT_INTERESTED: '1' })).toThrow(/TASTE_WEIGHT_NOT_INTERESTED: expected a number from -1000 to 0/);
    expect(loadConfig({ FORYOU_WEIGHT_FOLLOW: '0.75', CLICK_RATE_LIMIT: '5' })).toMatchObject({ forYou: { weights: { follow: 0.75 } }, taste: { clickRateLimitPerMinute: 5 } });
    expect(() => loadConfig({ FORYOU_WEIGHT_TASTE: '-1', TASTE_HALF_LIFE_SECONDS: '1' })).toThrow(/TASTE_HALF_LIFE_SECONDS[\s\S]*FORYOU_WEIGHT_TASTE|FORYOU_WEIGHT_TASTE[\s\S]*TASTE_HALF_LIFE_SECONDS/);
  });

  it('refuses production without a JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    const secret = randomBytes(32).toString('hex');
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret });
    expect(c.http.introspection).toBe(false);
    expect(c.auth.jwtSecret?.reveal()).toBe(secret);
    expect(String(c.auth.jwtSecret)).toBe('[redacted]');
  });

  it('refuses obviously weak JWT secrets in every environment, saying why and never quoting them', () => {
    const weak: [string, RegExp][] = [
      ['s'.repeat(32), /one character repeated/],
      ['ab'.repeat(20), /only 2 distinct characters/],
      ['0123456789'.repeat(4), /pattern of 10 characters repeated/],
      ['abcdefghijklmnopqrstuvwxyzABCDEFG', /run of consecutive characters/],
      ['dev-only-secret-change-me-dev-only-secret', /placeholder word "changeme"/],
      ['please-replace-me-with-a-real-one-1234', /placeholder word "replaceme"/],
      ['my-Super-Secret-JWT-key-for-prod-2024!', /placeholder word "supersecret"/],
      ['short-but-random-9f8e7d', /at least 32 characters/],
    ];
    for (const [value, why] of weak) {
      for (const env of ['production', 'development', 'test']) {
        let message = '';
        try {
          loadConfig({ NODE_ENV: env, JWT_SECRET: value });
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message, value).toMatch(/JWT_SECRET: too weak: it /);
        expect(message, value).toMatch(why);
        expect(message, value).toMatch(/openssl rand -hex 32/);
        expect(message).not.toContain(value);
      }
    }
    // What the README recommends passes, and so does a long passphrase.
    for (let i = 0; i < 200; i++) expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: randomBytes(24).toString('base64') })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'tangerine orbit falcon meadow lantern quartz' })).not.toThrow();
  });
});

describe('settings declared once', () => {
  it('says what each refused value allows', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: expected a whole number from 0 to 65535, got "70000"/);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow(/GRAPHQL_INTROSPECTION: expected true, false, 1 or 0/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: expected one of fatal, error/);
    expect(() => loadConfig({ FORYOU_WEIGHT_TASTE: 'abc' })).toThrow(/FORYOU_WEIGHT_TASTE: expected a number/);
  });

  it('derives defaults from other settings', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') }).http.introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), GRAPHQL_INTROSPECTION: 'true' }).http.introspection).toBe(true);
    expect(loadConfig({}).http.introspection).toBe(true);
  });

  it('keeps live catch-ups below the timeline caps', () => {
    expect(loadConfig({}).timeline.liveCatchUpLimit).toBe(799);
    expect(loadConfig({ TIMELINE_CAP: '100' }).timeline.liveCatchUpLimit).toBe(99);
    expect(loadConfig({ LIVE_CATCH_UP_LIMIT: '50' }).timeline.liveCatchUpLimit).toBe(50);
    expect(() => loadConfig({ LIVE_CATCH_UP_LIMIT: '800' })).toThrow(/LIVE_CATCH_UP_LIMIT: must be below TIMELINE_CAP/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', KAFKA_BROKERS: '' })).toMatchObject({ http: { port: 4000 }, kafka: { brokers: undefined } });
  });
});
