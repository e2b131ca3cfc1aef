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
});
