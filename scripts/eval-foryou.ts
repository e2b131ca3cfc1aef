/**
 * Scores forYou against the chronological home timeline on a synthetic population, end to end:
 * a real Kafka broker and redis-server are started for the run (fresh data, removed afterwards),
 * the whole service runs in this process (API and every consumer group, offline lexicon tagger),
 * and everything goes through its GraphQL API.
 *
 *   npm run eval:foryou -- [--users 80] [--clicks 10] [--seed 1] [--interests 2] [--tweets 6]
 *                          [--follows 10] [--homophily 0.1] [--off-topic 0.1] [--noise 0.1] [--k 10]
 *
 * Prints precision@k of forYou and of the home timeline (newest first) against each user's hidden
 * interests, and their ratio. FORYOU_*, TASTE_* and POPULAR_* variables in the environment reach
 * the service, to try other weights. Exits 1 when forYou misses precision ≥ 0.8 or 5× chronological.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { CONSUMER_GROUPS } from '../src/consumers/index.js';
import { generatePopulation } from '../scripts/population/generate.js';
import { startLocalKafka } from '../src/local/kafka-broker.js';
import { startLocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { runForYouEval, type Gql } from './eval-foryou/driver.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '80' },
    clicks: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    interests: { type: 'string', default: '2' },
    tweets: { type: 'string', default: '6' },
    follows: { type: 'string', default: '10' },
    homophily: { type: 'string', default: '0.1' },
    'off-topic': { type: 'string', default: '0.1' },
    noise: { type: 'string', default: '0.1' },
    k: { type: 'string', default: '10' },
  },
});
const n = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};

const population = generatePopulation({
  seed: n('seed'),
  handlePrefix: 'eval',
  users: n('users'),
  interestsPerUser: n('interests'),
  tweetsPerUser: n('tweets'),
  followsPerUser: n('follows'),
  homophily: n('homophily'),
  offTopicShare: n('off-topic'),
});
const k = n('k');
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'fatal', name: 'eval-foryou' });
const say = (line: string) => console.error(`eval-foryou: ${line}`);

mkdirSync(path.join(ROOT_DIR, '.local'), { recursive: true });
const dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'eval-foryou-'));
const stops: (() => Promise<void>)[] = [];
let exitCode = 0;
try {
  say('starting a local Kafka broker and redis-server');
  const kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir: path.join(dataDir, 'kafka'), logger });
  stops.push(() => kafka.stop());
  const redis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), logger });
  stops.push(() => redis.stop());
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(FORYOU_|TASTE_|POPULAR_)/.test(key)));
  const config = loadConfig({
    ...tuning,
    NODE_ENV: 'test',
    PORT: '0',
    KAFKA_NAMESPACE: `eval${randomBytes(3).toString('hex')}.`,
    KAFKA_PARTITIONS: '3',
    // The population clicks faster than any person; the limit is not what is measured.
    CLICK_RATE_LIMIT: '100000',
    // The whole population signs up from this one address.
    SIGNUP_RATE_LIMIT: '100000',
    // The templates' words are the lexicon's, and a template tweet's topic is its hidden interest:
    // this measures ranking, so tags must be exact, not a model's guess.
    TAGGER_BACKEND: 'lexicon',
  });
  const app = await startApp(config, { kafkaBrokers: kafka.brokers, redisUrl: redis.url }, { api: true, consumers: CONSUMER_GROUPS }, logger);
  stops.push(() => app.stop());
  const gql: Gql = async (query, variables, token) => {
    const response = await fetch(app.apiUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: never; errors?: unknown[] };
  };

  const r = await runForYouEval(gql, population, { clicksPerUser: n('clicks'), noise: n('noise'), clickSeed: n('seed') + 1, k, concurrency: 8, timeoutMs: 60_000, log: say });
  const o = population.options;
  const ratio = r.forYou / r.chronological;
  const f = (x: number) => x.toFixed(3);
  console.log(`population: ${r.users} users × ${o.interestsPerUser} hidden interests of 20 topics, ${r.tweets} tweets, ${o.followsPerUser} follows each (homophily ${o.homophily}), seed ${o.seed}`);
  console.log(`clicks: ${r.clicks} (${n('clicks')} per user, noise ${n('noise')}); ${r.seconds.toFixed(0)} s end to end`);
  console.log(`precision@${k}`);
  console.log(`  forYou after clicks             ${f(r.forYou)}`);
  console.log(`  chronological (same exclusions) ${f(r.chronological)}`);
  console.log(`  chronological (as shown)        ${f(r.chronologicalRaw)}`);
  console.log(`  forYou before any click         ${f(r.coldStart)}`);
  console.log(`  ratio forYou / chronological    ${ratio.toFixed(1)}×`);
  const met = r.forYou >= 0.8 && ratio >= 5;
  console.log(met ? 'target met (≥ 0.8 and ≥ 5×)' : 'target MISSED (≥ 0.8 and ≥ 5×)');
  if (!met) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
