/**
 * Writes a realistic synthetic population straight into Redis, as the service would have stored
 * it: users (all with one password), a power-law follow graph (both directions), tweets, author
 * timelines and home timelines. Pipelined; progress on stderr. Redis only: nothing goes to Kafka.
 *
 *   npm run seed-data -- --users 100000 --max-followers 10000 [--exponent 1] [--seed 1]
 *                        [--tweets-per-user 10] [--no-home-timelines] [--days 7]
 *                        [--handle-prefix seed] [--password seeded-password] [--active-share 0.2]
 *                        [--redis-url redis://127.0.0.1:6390] [--flush]
 *
 * The Redis URL comes from --redis-url or REDIS_URL; nothing is started. A database that already
 * has keys is refused unless --flush (FLUSHDB first) or --append is given. TIMELINE_CAP and
 * AUTHOR_TWEETS_CAP and TIMELINE_ACTIVE_DAYS are read like the service reads them.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { redisServerOptions } from '../src/adapters/redis/client.js';
import { loadConfig } from '../src/config/index.js';
import { withoutPassword } from '../src/config/setting.js';
import { DEFAULT_SEED_OPTIONS, seedData } from './seed/seed-data.js';
import { stderrProgress } from './seed/progress.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.users) },
    'max-followers': { type: 'string', default: String(DEFAULT_SEED_OPTIONS.maxFollowers) },
    exponent: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.exponent) },
    seed: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.seed) },
    'tweets-per-user': { type: 'string', default: String(DEFAULT_SEED_OPTIONS.tweetsPerUser) },
    'no-home-timelines': { type: 'boolean', default: false },
    days: { type: 'string', default: String(DEFAULT_SEED_OPTIONS.days) },
    'handle-prefix': { type: 'string', default: DEFAULT_SEED_OPTIONS.handlePrefix },
    password: { type: 'string', default: DEFAULT_SEED_OPTIONS.password },
    'active-share': { type: 'string', default: String(DEFAULT_SEED_OPTIONS.activeShare) },
    'redis-url': { type: 'string' },
    flush: { type: 'boolean', default: false },
    append: { type: 'boolean', default: false },
  },
});

function numberArg(name: keyof typeof values, integer = true): number {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) throw new Error(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}`);
  return v;
}

const config = loadConfig();
const url = values['redis-url'] ?? config.redis.url;
if (!url) {
  console.error('seed-data: give --redis-url or REDIS_URL (nothing is started)');
  process.exit(2);
}
// REDIS_USERNAME, REDIS_PASSWORD and REDIS_TLS* apply as they do to the service.
const redis = new Redis({ ...redisServerOptions(url, config.redis), maxRetriesPerRequest: 3 });
// Connection errors surface as the failing command's error; the event itself is noise here.
redis.on('error', () => undefined);
let exitCode = 0;
try {
  const existing = await redis.dbsize();
  if (existing > 0 && !values.flush && !values.append) {
    throw new Error(`${withoutPassword(url)} already has ${existing} keys: pass --flush to empty it first, or --append to add anyway`);
  }
  if (values.flush) await redis.flushdb();
  const result = await seedData(
    redis,
    {
      users: numberArg('users'),
      maxFollowers: numberArg('max-followers'),
      exponent: numberArg('exponent', false),
      seed: numberArg('seed'),
      tweetsPerUser: numberArg('tweets-per-user'),
      homeTimelines: !values['no-home-timelines'],
      handlePrefix: values['handle-prefix']!,
      password: values.password!,
      days: numberArg('days', false),
      now: Date.now(),
      homeCap: config.timeline.cap,
      authorCap: config.timeline.authorTweetsCap,
      activeShare: numberArg('active-share', false),
      activeDays: config.timeline.activeDays,
    },
    stderrProgress({ label: 'seed-data' }),
  );
  const top = result.followers.offsets[1]! - result.followers.offsets[0]!;
  console.log(
    JSON.stringify({
      users: result.userIds.length,
      edges: result.edges,
      tweets: result.tweets,
      homeEntries: result.homeEntries,
      activeUsers: result.activeUsers,
      mostFollowed: { handle: result.handleOf(0), id: result.userIds[0], followers: top },
      seconds: Number(result.seconds.toFixed(2)),
    }),
  );
} catch (err) {
  console.error(`seed-data: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
} finally {
  redis.disconnect();
}
process.exit(exitCode);
