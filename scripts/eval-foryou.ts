/**
 * Scores forYou against the chronological home timeline, end to end: a real Kafka broker is
 * started for the run and a fresh redis-server for each population (data removed afterwards),
 * the whole service runs in this process (API and every consumer group), and everything goes
 * through its GraphQL API. Two populations:
 *
 * - templated (always): tweets written from per-topic templates, tagged by the lexicon
 *   (TAGGER_BACKEND=lexicon: exact by construction, so ranking alone is measured);
 * - real text (with --corpora DIR): the English train and validation tweets of TweetTopicXL
 *   (DIR/tweettopicxl/en_{train,validation}.jsonl, see models/tagger/PROVENANCE.md; never its test
 *   split), their human topic labels as the hidden interests, tagged by the offline model as in
 *   production.
 *
 *   npm run eval:foryou -- [--corpora DIR] [--users 80] [--clicks 10] [--seed 1] [--interests 2]
 *                          [--tweets 6] [--follows 10] [--homophily 0.1] [--off-topic 0.1]
 *                          [--noise 0.1] [--k 10] [--newcomers 20]
 *                          [--real-users 40] [--real-clicks 6] [--real-follows 8] [--only templated|real]
 *
 * Prints precision@k of forYou after the clicks, after "not interested" on the misses, for
 * newcomers who only chose interests, and of the home timeline (newest first). FORYOU_*, TASTE_*
 * and POPULAR_* variables in the environment reach the service. Exits 1 when a target is missed:
 * templated ≥ 0.8 and 5× chronological; real text ≥ 0.75 and 4× chronological.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { CONSUMER_GROUPS } from '../src/consumers/index.js';
import { generatePopulation } from '../scripts/population/generate.js';
import { fromSynthetic, realTextPopulation, type EvalPopulation } from '../scripts/population/eval-population.js';
import { readTweetTopic } from '../scripts/tagger/corpora.js';
import { startLocalKafka } from '../src/local/kafka-broker.js';
import { startLocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { runForYouEval, type EvalResult, type Gql } from './eval-foryou/driver.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    corpora: { type: 'string' },
    only: { type: 'string' },
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
    newcomers: { type: 'string', default: '20' },
    'real-users': { type: 'string', default: '40' },
    'real-clicks': { type: 'string', default: '6' },
    'real-follows': { type: 'string', default: '8' },
  },
});
const n = (name: Exclude<keyof typeof values, 'corpora' | 'only'>) => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};

const k = n('k');
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'fatal', name: 'eval-foryou' });
const say = (line: string) => console.error(`eval-foryou: ${line}`);

interface Run {
  population: EvalPopulation;
  clicks: number;
  tagger: 'lexicon' | 'offline';
  target: { precision: number; ratio: number };
  describe: string;
}

const runs: Run[] = [];
const templated = generatePopulation({
  seed: n('seed'),
  handlePrefix: 'eval',
  users: n('users'),
  interestsPerUser: n('interests'),
  tweetsPerUser: n('tweets'),
  followsPerUser: n('follows'),
  homophily: n('homophily'),
  offTopicShare: n('off-topic'),
});
runs.push({
  population: fromSynthetic(templated, n('newcomers'), n('seed') + 2),
  clicks: n('clicks'),
  // The templates' words are the lexicon's, and a template tweet's topic is its hidden interest:
  // this measures ranking, so tags must be exact, not a model's guess.
  tagger: 'lexicon',
  target: { precision: 0.8, ratio: 5 },
  describe: `${templated.users.length} users × ${n('interests')} hidden interests of 20 topics, ${templated.tweets.length} template tweets, ${n('follows')} follows each (homophily ${n('homophily')}), lexicon tags`,
});
if (values.corpora) {
  const dir = path.resolve(values.corpora);
  if (!existsSync(path.join(dir, 'tweettopicxl'))) throw new Error(`--corpora ${dir}: no tweettopicxl/ folder (see models/tagger/PROVENANCE.md)`);
  const texts = [...readTweetTopic(dir, 'train'), ...readTweetTopic(dir, 'validation')];
  const real = realTextPopulation(texts, {
    seed: n('seed'),
    handlePrefix: 'real',
    users: n('real-users'),
    newcomers: n('newcomers'),
    interestsPerUser: n('interests'),
    followsPerUser: n('real-follows'),
    homophily: n('homophily'),
    minTextsPerTopic: 10,
  });
  runs.push({
    population: real,
    clicks: n('real-clicks'),
    tagger: 'offline',
    target: { precision: 0.75, ratio: 4 },
    describe: `${real.users.length} users × ${n('interests')} hidden TweetTopic topics, ${real.tweets.length} real tweets (TweetTopicXL en train + validation), ${n('real-follows')} follows each, offline model tags`,
  });
} else {
  say('no --corpora: the templated population only (the real-text one needs TweetTopicXL, see models/tagger/PROVENANCE.md)');
}

if (values.only) runs.splice(0, runs.length, ...runs.filter((r) => r.population.name.startsWith(values.only!)));
mkdirSync(path.join(ROOT_DIR, '.local'), { recursive: true });
const dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'eval-foryou-'));
const stops: (() => Promise<void>)[] = [];
let exitCode = 0;
const f = (x: number) => x.toFixed(3);
try {
  say('starting a local Kafka broker');
  const kafka = await startLocalKafka({ rootDir: ROOT_DIR, dataDir: path.join(dataDir, 'kafka'), logger });
  stops.push(() => kafka.stop());
  const tuning = Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(FORYOU_|TASTE_|POPULAR_)/.test(key)));
  for (const [i, run] of runs.entries()) {
    say(`${run.population.name} population: starting a redis-server and the service`);
    const redis = await startLocalRedis({ dataDir: path.join(dataDir, `redis-${i}`), logger });
    const config = loadConfig({
      ...tuning,
      NODE_ENV: 'test',
      PORT: '0',
      KAFKA_NAMESPACE: `eval${randomBytes(3).toString('hex')}.`,
      KAFKA_PARTITIONS: '3',
      // The population acts faster than any person; the limits are not what is measured.
      CLICK_RATE_LIMIT: '100000',
      LIKE_RATE_LIMIT: '100000',
      TASTE_EDIT_RATE_LIMIT: '100000',
      // The whole population signs up from this one address.
      SIGNUP_RATE_LIMIT: '100000',
      TAGGER_BACKEND: run.tagger,
    });
    const app = await startApp(config, { kafkaBrokers: kafka.brokers, redisUrl: redis.url }, { api: true, consumers: CONSUMER_GROUPS }, logger);
    const gql: Gql = async (query, variables, token) => {
      const response = await fetch(app.apiUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: never; errors?: unknown[] };
    };
    let r: EvalResult;
    try {
      r = await runForYouEval(gql, run.population, {
        clicksPerUser: run.clicks,
        noise: n('noise'),
        clickSeed: n('seed') + 1,
        k,
        concurrency: 8,
        timeoutMs: 60_000,
        notInterestedWeight: config.taste.signalWeights.notInterestedTag,
        log: (line) => say(`${run.population.name}: ${line}`),
      });
    } finally {
      await app.stop();
      await redis.stop();
    }
    const ratio = r.forYou / r.chronological;
    console.log(`\n${run.population.name} population: ${run.describe}, seed ${n('seed')}`);
    console.log(`clicks: ${r.clicks} (${run.clicks} per user, noise ${n('noise')}); tweets with a tag: ${(100 * r.tagged).toFixed(0)}%; ${r.seconds.toFixed(0)} s end to end`);
    console.log(`precision@${k}`);
    console.log(`  forYou after clicks                   ${f(r.forYou)}`);
    console.log(`  forYou after "not interested" (${String(r.notInterested).padStart(4)})  ${f(r.afterNotInterested)}`);
    console.log(`  chronological (same exclusions)       ${f(r.chronological)}`);
    console.log(`  chronological (as shown)              ${f(r.chronologicalRaw)}`);
    console.log(`  forYou before any signal              ${f(r.coldStart)}`);
    console.log(`  newcomers who only chose interests    ${f(r.newcomers)}  (${run.population.newcomers.length} users)`);
    console.log(`  ratio forYou / chronological          ${ratio.toFixed(1)}×`);
    const met = r.forYou >= run.target.precision && ratio >= run.target.ratio;
    const goal = `≥ ${run.target.precision} and ≥ ${run.target.ratio}×`;
    console.log(met ? `target met (${goal})` : `target MISSED (${goal})`);
    if (!met) exitCode = 1;
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
