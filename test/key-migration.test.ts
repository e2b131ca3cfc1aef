import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToHashTaggedKeys } from '../src/adapters/redis/key-migration.js';
import { keys } from '../src/adapters/redis/keys.js';
import { loadConfig } from '../src/config/index.js';
import { createTasteStore } from '../src/adapters/redis/taste-store.js';
import { createTweetRepository } from '../src/adapters/redis/tweet-repository.js';
import { createUserRepository } from '../src/adapters/redis/user-repository.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');

describe('migrating keys written before hash tags', () => {
  let server: LocalRedis;
  let dataDir: string;
  let redis: Redis;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-redis-'));
    server = await startLocalRedis({ dataDir, logger: createLogger({ level: 'warn', name: 'test-migration' }) });
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('renames old keys so the adapters read them again, keeps TTLs, never overwrites, and is idempotent', async () => {
    const user = { id: '11', handle: 'old', createdAt: '2025-01-01T00:00:00.000Z' };
    const tweet = { id: '21', authorId: '11', text: 'from before', createdAt: '2025-01-01T00:00:00.000Z' };
    await redis
      .multi()
      .set('user:11', JSON.stringify(user))
      .set('user:11:password', 'hash')
      .set('handle:old', '11')
      .set('tweet:21', JSON.stringify(tweet))
      .set('tweet:21:tags', JSON.stringify({ tags: ['foodies'], backend: 'lexicon' }))
      .set('tweet:22:deleted', '1', 'EX', 600)
      .zadd('taste:11', 1, 'foodies')
      .set('taste:11:anchor', '1000')
      .zadd('clicked:11', 1000, '21')
      .zadd('popular:tweets', 1, '21')
      .set('popular:tweets:anchor', '1000')
      .set('timeline:home:11', 'untouched')
      .set('user:12', 'old value')
      .set(keys.user('12'), 'new value')
      .exec();

    expect(await migrateToHashTaggedKeys(redis, { dryRun: true })).toEqual({ renamed: 10, conflicts: ['user:12'] });
    expect(await redis.exists('user:11')).toBe(1);
    expect(await migrateToHashTaggedKeys(redis)).toEqual({ renamed: 10, conflicts: ['user:12'] });

    expect(await createUserRepository(redis).getMany(['11'])).toEqual([user]);
    expect(await createUserRepository(redis).getPasswordHash('11')).toBe('hash');
    expect(await createUserRepository(redis).findIdByHandle('old')).toBe('11');
    const [stored] = await createTweetRepository(redis).getMany(['21']);
    expect(stored).toMatchObject({ ...tweet, tags: { tags: ['foodies'] } });
    expect(await redis.ttl(keys.tweetTombstone('22'))).toBeGreaterThan(500);
    const taste = createTasteStore(redis, { ...loadConfig({}).taste, halfLifeSeconds: 1e9, popularHalfLifeSeconds: 1e9, dedupeWindowSeconds: 0.001, clickedCap: 10, popularCap: 10 });
    expect((await taste.topTags('11', 5, 1000)).map((w) => w.tag)).toEqual(['foodies']);
    expect(await taste.clickedAmong('11', ['21'])).toEqual([true]);
    expect((await taste.popular(5)).map((p) => p.tweetId)).toEqual(['21']);
    expect(await redis.get('timeline:home:11')).toBe('untouched');
    expect(await redis.get(keys.user('12'))).toBe('new value');

    expect(await migrateToHashTaggedKeys(redis)).toEqual({ renamed: 0, conflicts: ['user:12'] });
  });
});
