import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keys } from '../../src/adapters/redis/keys.js';
import { eventually } from '../harness/poll.js';
import { runService, type ServiceProcess } from '../harness/processes.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { postTweet, signUp } from '../harness/users.js';

const FOLLOWERS = 100_000;
const followerId = (i: number) => String(5_000_000_000 + i);

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
describe('chaos: the fan-out consumer dies mid fan-out', () => {
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
    const author = await signUp(t, 'celebrity');
    const ids = Array.from({ length: FOLLOWERS }, (_, i) => followerId(i));
    for (let start = 0; start < FOLLOWERS; start += 10_000) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(start, start + 10_000)) {
        pipeline.zadd(keys.followers(author.id), 1, id).zadd(keys.following(id), 1, author.id);
      }
      await pipeline.exec();
    }

    const env = {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      REDIS_URL: t.redis.url,
      KAFKA_NAMESPACE: t.config.kafka.namespace,
      FANOUT_CHUNK_SIZE: '50',
      LOG_LEVEL: 'info',
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

    // Exactly once: each follower's timeline holds this one tweet and nothing else.
    for (let start = 0; start < FOLLOWERS; start += 10_000) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(start, start + 10_000)) pipeline.zcard(keys.homeTimeline(id));
      const sizes = ((await pipeline.exec()) ?? []).map(([, n]) => Number(n));
      expect(sizes.every((n) => n === 1)).toBe(true);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
