import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keys } from '../../src/adapters/redis/keys.js';
import { eventually } from '../harness/poll.js';
import { runService, type ServiceProcess } from '../harness/processes.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { postTweet, signUp } from '../harness/users.js';

const FOLLOWERS = 100_000;

/** 100k follower ids of their own per scenario, followed at distinct times (as real follows are). */
async function seedFollowers(redis: Redis, authorId: string, base: number): Promise<string[]> {
  const ids = Array.from({ length: FOLLOWERS }, (_, i) => String(base + i));
  for (let start = 0; start < FOLLOWERS; start += 10_000) {
    const pipeline = redis.pipeline();
    ids.slice(start, start + 10_000).forEach((id, j) => {
      const at = 1_000 + start + j;
      pipeline.zadd(keys.followers(authorId), at, id).zadd(keys.following(id), at, authorId);
    });
    await pipeline.exec();
  }
  return ids;
}

/** Exactly once: each follower's timeline holds the one tweet and nothing else. */
async function expectOneEntryEach(redis: Redis, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 10_000) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(start, start + 10_000)) pipeline.zcard(keys.homeTimeline(id));
    const sizes = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n));
    expect(sizes.every((n) => n === 1)).toBe(true);
  }
}

/** How many of `ids` have `tweetId` in their home timeline; pipelined. */
async function delivered(redis: Redis, ids: readonly string[], tweetId: string): Promise<number> {
  let count = 0;
  for (let start = 0; start < ids.length; start += 10_000) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(start, start + 10_000)) pipeline.zscore(keys.homeTimeline(id), tweetId);
    for (const [, score] of (await pipeline.exec()) ?? []) if (score !== null) count++;
  }
  return count;
}

/**
 * kill -9 the fan-out consumer halfway through fanning a tweet out to 100k followers, restart it:
 * every follower ends up with the tweet exactly once, and the restart resumes from the checkpoint.
 */
describe('chaos: a fan-out consumer dies mid fan-out', () => {
  let t: TestApp;
  let redis: Redis;
  const procs: ServiceProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ roles: { api: true, consumers: ['tweet-store'] } });
    redis = new Redis(t.redis.url);
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    redis?.disconnect();
    await t?.stop();
  });

  it('delivers to every one of 100k followers exactly once after a crash and restart', async () => {
    const author = await signUp(t, 'popular');
    const ids = await seedFollowers(redis, author.id, 5_000_000_000);
    const env = {
      ...baseEnv(),
      FANOUT_CHUNK_SIZE: '50',
      // The one-consumer path: neither split into slices nor left to read-time merging.
      FANOUT_SPLIT_ABOVE: '1000000',
      FANOUT_CELEBRITY_THRESHOLD: '1000000',
    };
    const first = runService(['consume', 'fanout'], env);
    procs.push(first);
    await eventually(async () => first.logged('consumer started'), (e) => e !== undefined, { what: 'fanout consumer', timeoutMs: 60_000 });

    const tweetId = await postTweet(t, author, 'to all my fans');
    const sample = ids.filter((_, i) => i % 100 === 0);
    await eventually(() => delivered(redis, sample, tweetId), (n) => n >= sample.length * 0.2, { what: 'fan-out under way', intervalMs: 10 });
    first.child.kill('SIGKILL');
    await first.exited;

    const atCrash = await delivered(redis, ids, tweetId);
    expect(atCrash, 'the crash must come mid fan-out').toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(FOLLOWERS);
    expect(await redis.get(keys.fanOutCheckpoint(tweetId))).not.toBeNull();

    const second = runService(['consume', 'fanout'], env);
    procs.push(second);
    await eventually(() => delivered(redis, ids, tweetId), (n) => n === FOLLOWERS, { what: 'all followers', timeoutMs: 120_000, intervalMs: 500 });
    expect(second.logged('tweet fanned out')).toMatchObject({ tweetId, resumed: true });
    expect(await redis.get(keys.fanOutCheckpoint(tweetId))).toBeNull();

    await expectOneEntryEach(redis, ids);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('delivers to every one of 100k followers exactly once when a slice consumer dies mid split fan-out', async () => {
    const author = await signUp(t, 'popular');
    const ids = await seedFollowers(redis, author.id, 6_000_000_000);
    const env = { ...baseEnv(), FANOUT_CHUNK_SIZE: '500', FANOUT_SPLIT_ABOVE: '1000', FANOUT_CELEBRITY_THRESHOLD: '1000000' };
    const planner = runService(['consume', 'fanout'], env);
    const slicer = runService(['consume', 'fanout-slices'], env);
    procs.push(planner, slicer);
    for (const p of [planner, slicer]) {
      await eventually(async () => p.logged('consumer started'), (e) => e !== undefined, { what: 'consumers', timeoutMs: 60_000 });
    }

    const tweetId = await postTweet(t, author, 'to all my fans, in slices');
    const sample = ids.filter((_, i) => i % 100 === 0);
    await eventually(() => delivered(redis, sample, tweetId), (n) => n >= sample.length * 0.2, { what: 'slices under way', intervalMs: 10 });
    slicer.child.kill('SIGKILL');
    await slicer.exited;
    const atCrash = await delivered(redis, ids, tweetId);
    expect(atCrash, 'the crash must come mid fan-out').toBeLessThan(FOLLOWERS);
    expect(planner.logged('tweet fan-out split')).toMatchObject({ tweetId, slices: 200 });

    const again = runService(['consume', 'fanout-slices'], env);
    procs.push(again);
    await eventually(() => delivered(redis, ids, tweetId), (n) => n === FOLLOWERS, { what: 'all followers', timeoutMs: 120_000, intervalMs: 500 });
    await expectOneEntryEach(redis, ids);
    for (const p of [planner, again]) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
  });

  // debug: "tweet fanned out" (with `resumed`) is a per-message line, logged at debug.
  function baseEnv(): Record<string, string> {
    return { KAFKA_BROKERS: inject('kafkaBrokers').join(','), REDIS_URL: t.redis.url, KAFKA_NAMESPACE: t.config.kafka.namespace, LOG_LEVEL: 'debug' };
  }
});
