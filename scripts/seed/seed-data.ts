import type { Redis } from 'ioredis';
import { keys } from '../../src/adapters/redis/keys.js';
import { queueLastSeen, queueTimelineEntries } from '../../src/adapters/redis/timeline-store.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { buildPowerLawGraph, invertRows, rowOf, type FollowGraphRows } from '../../scripts/population/power-law-graph.js';
import { seededRandom, type Random } from '../../scripts/population/prng.js';
import { CLOSERS, OPENERS, TOPIC_TEMPLATES } from '../../scripts/population/templates.js';
import { createSnowflake } from '../../src/domain/snowflake.js';
import type { Tweet, User } from '../../src/domain/types.js';
import { validateHandle, validatePassword } from '../../src/domain/validation.js';
import { PipelinedWriter } from './pipelined-writer.js';
import { silentProgress, type Progress } from './progress.js';

/**
 * Snowflake worker id of every seeded user and tweet. Seeded times are all in the past, so ids the
 * API issues afterwards (any worker) can never collide with them.
 */
export const SEED_WORKER_ID = 1023;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeedOptions {
  users: number;
  /** Followers of the most followed user; see PowerLawGraphOptions. */
  maxFollowers: number;
  /** Zipf exponent of follower counts by rank (1 = classic Zipf). */
  exponent: number;
  seed: number;
  tweetsPerUser: number;
  /** Also fill every home timeline (own and followees' tweets, newest first, capped) as fan-out would have. */
  homeTimelines: boolean;
  /** Handles are `<prefix><index>`; 3–15 characters in all. */
  handlePrefix: string;
  /** Every seeded user's password (one scrypt hash is computed and shared: synthetic accounts only). */
  password: string;
  /** Tweets are spread over this many days before `now`. */
  days: number;
  /** Unix ms the seeded history ends at; ids depend on it, the graph and texts do not. */
  now: number;
  /** TIMELINE_CAP and AUTHOR_TWEETS_CAP of the service the data is for. */
  homeCap: number;
  authorCap: number;
  /**
   * Share of users active (0–1), chosen at random: seen within the last day, with a home timeline.
   * The others were last seen before the window (TIMELINE_ACTIVE_DAYS of the service, `activeDays`)
   * and have none, as the service would have let it expire; their first read rebuilds it.
   */
  activeShare: number;
  activeDays: number;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  users: 10_000,
  maxFollowers: 1_000,
  exponent: 1,
  seed: 1,
  tweetsPerUser: 10,
  homeTimelines: true,
  handlePrefix: 'seed',
  password: 'seeded-password',
  days: 7,
  now: Date.now(),
  homeCap: 800,
  authorCap: 3200,
  activeShare: 0.2,
  activeDays: 7,
};

export interface SeedResult {
  /** User ids by user index; index 0 is the most followed. */
  userIds: string[];
  handleOf(index: number): string;
  /** followers rows by user index (see FollowGraphRows). */
  followers: FollowGraphRows;
  /** 1 for each active user, by user index. */
  active: Uint8Array;
  activeUsers: number;
  edges: number;
  tweets: number;
  homeEntries: number;
  seconds: number;
}

function tweetText(rng: Random, index: number): string {
  const topic = TOPIC_TEMPLATES[index % TOPIC_TEMPLATES.length]!;
  return `${rng.pick(OPENERS)} ${rng.pick(topic.phrases)}${rng.pick(CLOSERS)}`;
}

/** Members of a huge sorted set go out in commands of this many, so no single command is enormous. */
const ZADD_CHUNK = 10_000;

/**
 * One sorted set per user from a row-per-user edge list: member = the other user's id, score = the
 * edge's follow time (parallel to the rows), at most ZADD_CHUNK members a ZADD. Flushes the writer.
 */
async function writeEdgeSets(
  writer: PipelinedWriter,
  rows: Parameters<typeof rowOf>[0],
  times: Float64Array,
  userIds: readonly string[],
  keyOf: (userId: string) => string,
): Promise<void> {
  for (let u = 0; u < userIds.length; u++) {
    const base = rows.offsets[u]!;
    const row = rowOf(rows, u);
    for (let start = 0; start < row.length; start += ZADD_CHUNK) {
      const args: (string | number)[] = [];
      const end = Math.min(row.length, start + ZADD_CHUNK);
      for (let k = start; k < end; k++) args.push(times[base + k]!, userIds[row[k]!]!);
      await writer.add((p) => p.zadd(keyOf(userIds[u]!), ...args), args.length, end - start);
    }
  }
  await writer.flush();
}

/**
 * Writes a synthetic population to Redis exactly as the service would have stored it: users and
 * handles, both directions of every follow, tweets, author timelines and (optionally) home
 * timelines — through the key builders of `src/adapters/redis/keys.ts`, the same JSON shapes and
 * TimelineStore's own bulk writer, pipelined in batches. Deterministic for a seed and `now`.
 * Writes only to Redis (nothing goes to Kafka). Adds to whatever is there: callers choose an empty
 * database. Throws on a bad option or the first Redis error.
 */
export async function seedData(redis: Redis, options: SeedOptions, progress: Progress = silentProgress): Promise<SeedResult> {
  const started = performance.now();
  const o = options;
  const handleOf = (i: number) => `${o.handlePrefix}${i}`;
  validateHandle(handleOf(0), 'handlePrefix');
  validateHandle(handleOf(o.users - 1), 'handlePrefix');
  validatePassword(o.password);
  if (!Number.isInteger(o.tweetsPerUser) || o.tweetsPerUser < 0) throw new RangeError('tweetsPerUser must be a non-negative integer');
  // Ids come from a fixed clock per tweet: 4096 tweets in one millisecond would stall the generator.
  if (!(o.days > 0) || o.users * o.tweetsPerUser > o.days * DAY_MS) throw new RangeError('days must be positive and leave at least 1 ms per tweet');
  if (!(o.activeShare >= 0 && o.activeShare <= 1)) throw new RangeError('activeShare must be between 0 and 1');
  if (!(o.activeDays > 0)) throw new RangeError('activeDays must be positive');

  const rng = seededRandom(o.seed);
  const graph = buildPowerLawGraph({ users: o.users, maxFollowers: o.maxFollowers, exponent: o.exponent, seed: o.seed + 1 });
  const edges = graph.followers.length;

  // Timeline of the seeded world: users are created, then follow each other, then tweet.
  const tweetsFrom = o.now - o.days * DAY_MS;
  const followsFrom = tweetsFrom - DAY_MS;
  const usersFrom = followsFrom - DAY_MS - o.users;
  let clock = usersFrom;
  const ids = createSnowflake(SEED_WORKER_ID, () => clock);
  const userIds: string[] = new Array(o.users);
  for (let i = 0; i < o.users; i++) {
    clock = usersFrom + i;
    userIds[i] = ids.next();
  }

  const write = (units: (n: number) => void) => new PipelinedWriter(redis, units);

  progress.phase('users', o.users);
  const passwordHash = await hashPassword(o.password);
  let writer = write((n) => progress.advance(n));
  for (let i = 0; i < o.users; i++) {
    const id = userIds[i]!;
    const user: User = { id, handle: handleOf(i), createdAt: new Date(usersFrom + i).toISOString() };
    await writer.add((p) => p.set(keys.handle(user.handle), id).set(keys.user(id), JSON.stringify(user)).set(keys.password(id), passwordHash), 6, 1);
  }
  await writer.flush();
  progress.done();

  // One follow time per edge, shared by both directions as FollowGraph.follow does.
  const followTimes = new Float64Array(edges);
  for (let e = 0; e < edges; e++) followTimes[e] = followsFrom + Math.floor(rng.next() * DAY_MS);

  progress.phase('followers', edges);
  await writeEdgeSets(write((n) => progress.advance(n)), graph, followTimes, userIds, keys.followers);
  progress.done();

  progress.phase('following', edges);
  const following = invertRows(graph);
  // Time of edge (followee, follower) by follower row position: rebuilt alongside the inversion.
  const followingTimes = new Float64Array(edges);
  {
    const next = following.offsets.slice(0, o.users);
    for (let u = 0; u < o.users; u++) {
      for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) {
        const f = graph.followers[e]!;
        followingTimes[next[f]!] = followTimes[e]!;
        next[f] = next[f]! + 1;
      }
    }
  }
  await writeEdgeSets(write((n) => progress.advance(n)), following, followingTimes, userIds, keys.following);
  progress.done();

  // Tweets in time order (index = time order), each given to an author by a shuffled deck so
  // every user gets exactly tweetsPerUser.
  const tweetCount = o.users * o.tweetsPerUser;
  const times = new Float64Array(tweetCount);
  for (let t = 0; t < tweetCount; t++) times[t] = tweetsFrom + Math.floor(rng.next() * (o.days * DAY_MS - 1000));
  times.sort();
  const authorOf = new Int32Array(tweetCount);
  for (let t = 0; t < tweetCount; t++) authorOf[t] = t % o.users;
  for (let t = tweetCount - 1; t > 0; t--) {
    const j = rng.int(t + 1);
    const tmp = authorOf[t]!;
    authorOf[t] = authorOf[j]!;
    authorOf[j] = tmp;
  }
  const tweetIds: string[] = new Array(tweetCount);
  progress.phase('tweets', tweetCount);
  writer = write((n) => progress.advance(n));
  for (let t = 0; t < tweetCount; t++) {
    clock = times[t]!;
    const id = ids.next();
    tweetIds[t] = id;
    const tweet: Tweet = { id, authorId: userIds[authorOf[t]!]!, text: tweetText(rng, t), createdAt: new Date(times[t]!).toISOString() };
    await writer.add((p) => p.set(keys.tweet(id), JSON.stringify(tweet)), 2, 1);
  }
  await writer.flush();
  progress.done();

  // Each author's tweets, oldest first (tweet index order).
  const byAuthor: number[][] = Array.from({ length: o.users }, () => []);
  for (let t = 0; t < tweetCount; t++) byAuthor[authorOf[t]!]!.push(t);

  progress.phase('author timelines', o.users);
  writer = write((n) => progress.advance(n));
  for (let u = 0; u < o.users; u++) {
    const own = byAuthor[u]!.slice(-o.authorCap).map((t) => tweetIds[t]!);
    await writer.add((p) => queueTimelineEntries(p, { kind: 'author', userId: userIds[u]! }, own, o.authorCap), 2 * own.length + 4, 1);
  }
  await writer.flush();
  progress.done();

  // Activity from a generator of its own, so the graph, tweets and texts stay those of the seed.
  const activity = seededRandom(o.seed + 2);
  const windowMs = o.activeDays * DAY_MS;
  const active = new Uint8Array(o.users);
  const activeUsers = Math.round(o.activeShare * o.users);
  for (const u of activity.sample([...Array(o.users).keys()], activeUsers)) active[u] = 1;
  const seenAt = (u: number) => (active[u] ? o.now - Math.floor(activity.next() * Math.min(DAY_MS, windowMs)) : o.now - windowMs - DAY_MS - Math.floor(activity.next() * 30 * DAY_MS));

  let homeEntries = 0;
  progress.phase(o.homeTimelines ? 'home timelines' : 'activity', o.users);
  writer = write((n) => progress.advance(n));
  for (let u = 0; u < o.users; u++) {
    if (o.homeTimelines && active[u]) {
      // Own tweets and every followee's, newest first: the highest tweet indexes.
      const candidates = [...byAuthor[u]!];
      for (const followee of rowOf(following, u)) for (const t of byAuthor[followee]!) candidates.push(t);
      candidates.sort((a, b) => b - a);
      const entries = candidates.slice(0, o.homeCap).map((t) => tweetIds[t]!);
      homeEntries += entries.length;
      await writer.add((p) => queueTimelineEntries(p, { kind: 'home', userId: userIds[u]! }, entries, o.homeCap), 2 * entries.length + 4, 0);
    }
    await writer.add((p) => queueLastSeen(p, userIds[u]!, seenAt(u), windowMs), 6, 1);
  }
  await writer.flush();
  progress.done();

  return { userIds, handleOf, followers: graph, active, activeUsers, edges, tweets: tweetCount, homeEntries, seconds: (performance.now() - started) / 1000 };
}
