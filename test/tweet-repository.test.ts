import { describe, expect, it } from 'vitest';
import { createTweetRepository } from '../src/adapters/redis/tweet-repository.js';
import { useScratchRedis } from './harness/scratch-redis.js';

describe('tweet repository on a real Redis', () => {
  const scratch = useScratchRedis();

  it('does not let a late retry of a tweet’s creation bring back a deleted tweet', async () => {
    const repo = createTweetRepository(scratch.client);
    const tweet = { id: '123456789', authorId: '42', text: 'gone soon', createdAt: new Date().toISOString() };
    await repo.save(tweet);
    expect((await repo.getMany([tweet.id]))[0]?.text).toBe('gone soon');
    await repo.remove(tweet.id, tweet.authorId);
    await repo.save(tweet);
    expect(await repo.getMany([tweet.id])).toEqual([null]);
  });

  it('saving twice keeps one copy and loads tags and verdict in the same call', async () => {
    const repo = createTweetRepository(scratch.client);
    const tweet = { id: '987654321', authorId: '42', text: 'twice', createdAt: new Date().toISOString() };
    await repo.save(tweet);
    await repo.save(tweet);
    await repo.saveTags(tweet.id, { tags: ['gamers'], backend: 'lexicon' });
    const [loaded] = await repo.getMany([tweet.id]);
    expect(loaded).toEqual({ ...tweet, tags: { tags: ['gamers'], backend: 'lexicon' }, moderation: null, likeCount: 0 });
  });
});
