import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { createTimelineStore, queueTimelineEntries } from '../src/adapters/redis/timeline-store.js';
import { createSnowflake } from '../src/domain/snowflake.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';

const CAP = 20;

/** Tweet ids one millisecond apart, oldest first. */
function tweetIds(count: number): string[] {
  let now = Date.UTC(2026, 0, 1);
  const ids = createSnowflake(5, () => now);
  return Array.from({ length: count }, () => (now++, ids.next()));
}

/** Fan-out's timeline writes (one Lua call per chunk) and the bulk loader's, on a real redis-server. */
describe('timeline store writes on a real Redis', () => {
  let server: LocalRedis;
  let redis: Redis;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.resolve(import.meta.dirname, '../.local/test-redis-'));
    server = await startLocalRedis({ dataDir, logger: createLogger({ level: 'warn' }) });
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await redis.flushdb();
  });

  it('adds a tweet to every follower of a chunk, keeps the newest CAP, and ignores a repeat', async () => {
    const store = createTimelineStore(redis, { homeCap: CAP, authorCap: 100 });
    const followers = Array.from({ length: 50 }, (_, i) => String(1_000 + i));
    const ids = tweetIds(CAP + 5);
    for (const id of ids) await store.addToHomeTimelines(followers, id);
    await store.addToHomeTimelines(followers, ids.at(-1)!); // redelivered
    for (const follower of followers) {
      expect(await redis.zrange(keys.homeTimeline(follower), 0, -1, 'REV')).toEqual(ids.slice(-CAP).reverse());
    }
    const page = await store.homePage(followers[7]!, 3);
    expect(page.ids).toEqual(ids.slice(-3).reverse());
  });

  it('bulk-writes whole timelines through queueTimelineEntries with the same scores and cap', async () => {
    const ids = tweetIds(CAP + 10);
    const pipeline = redis.pipeline();
    queueTimelineEntries(pipeline, { kind: 'home', userId: '42' }, ids, CAP);
    queueTimelineEntries(pipeline, { kind: 'author', userId: '42' }, ids.slice(0, 3), CAP);
    await pipeline.exec();
    const store = createTimelineStore(redis, { homeCap: CAP, authorCap: CAP });
    expect((await store.homePage('42', 100)).ids).toEqual(ids.slice(-CAP).reverse());
    expect((await store.authorPage('42', 100)).ids).toEqual(ids.slice(0, 3).reverse());
    // A later fan-out write lands among the seeded entries by time, and the cap still holds.
    const newer = tweetIds(CAP + 11).at(-1)!; // a millisecond after the newest seeded one
    await store.addToHomeTimelines(['42'], newer);
    const after = await redis.zrange(keys.homeTimeline('42'), 0, -1, 'REV', 'WITHSCORES');
    expect(after.length / 2).toBe(CAP);
    expect(after[0]).toBe(newer);
  });

  it('reads the entries after a position oldest first, within equal scores too, up to a limit (live catch-ups)', async () => {
    const store = createTimelineStore(redis, { homeCap: CAP, authorCap: 100 });
    const ids = tweetIds(6);
    for (const id of ids) await store.addToHomeTimelines(['7'], id);
    // Three more at the same millisecond as ids[2]: the cursor must split a run of equal scores.
    const score = Number(await redis.zscore(keys.homeTimeline('7'), ids[2]!));
    const twins = ['9100000000000000001', '9100000000000000002', '9100000000000000003'];
    await redis.zadd(keys.homeTimeline('7'), score, twins[0]!, score, twins[1]!, score, twins[2]!);
    const order = await redis.zrange(keys.homeTimeline('7'), 0, -1);
    const cursor = { score, member: twins[0]! };

    const page = await store.homeEntriesAfter('7', cursor, 100);
    expect(page.ids).toEqual(order.slice(order.indexOf(twins[0]!) + 1));
    expect(page.hasNextPage).toBe(false);
    const cut = await store.homeEntriesAfter('7', cursor, 2);
    expect(cut).toEqual({ ids: page.ids.slice(0, 2), scores: page.scores.slice(0, 2), hasNextPage: true });
    // Nothing after the newest entry; everything after a position older than all of them.
    const newest = order.at(-1)!;
    const newestScore = Number(await redis.zscore(keys.homeTimeline('7'), newest));
    expect((await store.homeEntriesAfter('7', { score: newestScore, member: newest }, 5)).ids).toEqual([]);
    expect((await store.homeEntriesAfter('7', { score: 0, member: '1' }, 100)).ids).toEqual(order);
  });
});
