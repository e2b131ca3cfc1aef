import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTweetRepository } from '../src/adapters/redis/tweet-repository.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';

describe('tweet repository on a real Redis', () => {
  let server: LocalRedis;
  let redis: Redis;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(import.meta.dirname, '..', '.local', 'test-redis-'));
    server = await startLocalRedis({ dataDir, logger: createLogger({ level: 'silent' }) });
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('does not let a late retry of a tweet’s creation bring back a deleted tweet', async () => {
    const repo = createTweetRepository(redis);
    const tweet = { id: '123456789', authorId: '42', text: 'gone soon', createdAt: new Date().toISOString() };
    await repo.save(tweet);
    expect((await repo.getMany([tweet.id]))[0]?.text).toBe('gone soon');
    await repo.remove(tweet.id, tweet.authorId);
    await repo.save(tweet);
    expect(await repo.getMany([tweet.id])).toEqual([null]);
  });

  it('saving twice keeps one copy and loads tags and verdict in the same call', async () => {
    const repo = createTweetRepository(redis);
    const tweet = { id: '987654321', authorId: '42', text: 'twice', createdAt: new Date().toISOString() };
    await repo.save(tweet);
    await repo.save(tweet);
    await repo.saveTags(tweet.id, { tags: ['gamers'], backend: 'lexicon' });
    const [loaded] = await repo.getMany([tweet.id]);
    expect(loaded).toEqual({ ...tweet, tags: { tags: ['gamers'], backend: 'lexicon' }, moderation: null });
  });
});
