import { describe, expect, it } from 'vitest';
import type { EventPublisher } from '../domain/events.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { RelationStore } from '../domain/relations/ports.js';
import { createLogger } from '../observability/logger.js';
import type { RateLimiter } from '../domain/rate-limits/ports.js';
import { createSnowflake } from '../domain/snowflake.js';
import type { TweetRepository } from '../domain/tweets/ports.js';
import type { UserRepository } from '../domain/users/ports.js';
import { createFollowCommands } from './follows.js';
import { createRelationCommands } from './relations.js';
import { createRepostCommands } from './reposts.js';
import type { RepostStore } from '../domain/reposts/ports.js';
import { createTweetCommands } from './tweets.js';

/** A budget of `allowance` per subject, counted in memory. */
function budget(allowance: number) {
  const spent = new Map<string, number>();
  const limiter: RateLimiter = {
    async take(subject) {
      const n = spent.get(subject) ?? 0;
      if (n >= allowance) return { allowed: false, retryAfterSeconds: 42 };
      spent.set(subject, n + 1);
      return { allowed: true };
    },
    peek: async (subject) => ((spent.get(subject) ?? 0) < allowance ? { allowed: true } : { allowed: false, retryAfterSeconds: 42 }),
  };
  return { limiter, spent };
}

const unused = <T extends object>(): T =>
  new Proxy({} as T, {
    get: (_t, name) => () => Promise.reject(new Error(`unexpected call ${String(name)}`)),
  });

describe('the write budget, spent by the use cases', () => {
  it('posting and deleting spend one shared budget per user; past it nothing is validated or published', async () => {
    const published: string[] = [];
    const events: EventPublisher = { publish: async (topic) => void published.push(topic) };
    const { limiter, spent } = budget(2);
    const tweets = createTweetCommands({ ids: createSnowflake(1), tweets: unused<TweetRepository>(), users: { findIdByHandle: async () => null }, relations: unused<RelationStore>(), events, writeBudget: limiter, mentionsPerTweet: 10 });
    await tweets.postTweet('u1', 'one');
    await tweets.postTweet('u1', 'two');
    // Refused before validation too: an empty text past the budget is RATE_LIMITED, not BAD_USER_INPUT.
    await expect(tweets.postTweet('u1', '')).rejects.toMatchObject({ code: 'RATE_LIMITED', message: 'too many requests: try again in 42 s' });
    await expect(tweets.deleteTweet('u1', '123')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Another user's budget is their own.
    await tweets.postTweet('u2', 'three');
    expect(published).toEqual(['tweets', 'tweets', 'tweets']);
    expect(Object.fromEntries(spent)).toEqual({ u1: 2, u2: 1 });
  });

  it('following spends the same budget as posting, before looking anyone up', async () => {
    const { limiter } = budget(1);
    const events: EventPublisher = { publish: async () => {} };
    const tweets = createTweetCommands({ ids: createSnowflake(1), tweets: unused<TweetRepository>(), users: { findIdByHandle: async () => null }, relations: unused<RelationStore>(), events, writeBudget: limiter, mentionsPerTweet: 10 });
    const follows = createFollowCommands({ users: unused<UserRepository>(), graph: unused<FollowGraph>(), relations: unused<RelationStore>(), events, writeBudget: limiter });
    await tweets.postTweet('u1', 'hello');
    await expect(follows.follow('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(follows.unfollow('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('muting, unmuting, blocking and unblocking spend the same budget, before looking anyone up', async () => {
    const { limiter, spent } = budget(1);
    const events: EventPublisher = { publish: async () => {} };
    const tweets = createTweetCommands({ ids: createSnowflake(1), tweets: unused<TweetRepository>(), users: { findIdByHandle: async () => null }, relations: unused<RelationStore>(), events, writeBudget: limiter, mentionsPerTweet: 10 });
    const relations = createRelationCommands({
      users: unused<UserRepository>(),
      relations: unused<RelationStore>(),
      follows: { removeEdge: () => Promise.reject(new Error('unexpected call removeEdge')) },
      events,
      live: unused<LivePublisher>(),
      logger: createLogger({ level: 'silent' }),
      writeBudget: limiter,
    });
    await tweets.postTweet('u1', 'hello');
    await expect(relations.mute('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(relations.unmute('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(relations.block('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(relations.unblock('u1', 'bob')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(Object.fromEntries(spent)).toEqual({ u1: 1 });
  });

  it('reposting and unreposting spend the same budget, before looking the tweet up', async () => {
    const { limiter, spent } = budget(0);
    const events: EventPublisher = { publish: () => Promise.reject(new Error('unexpected publish')) };
    const reposts = createRepostCommands({ tweets: unused<TweetRepository>(), reposts: unused<RepostStore>(), relations: unused<RelationStore>(), events, writeBudget: limiter });
    // Even a malformed id is RATE_LIMITED past the budget, not BAD_USER_INPUT.
    await expect(reposts.repost('u1', 'abc')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(reposts.unrepost('u1', '123')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(Object.fromEntries(spent)).toEqual({});
  });

  it('takes a repost back when its event is not acknowledged', async () => {
    const { limiter } = budget(5);
    const tweet = { id: '123', authorId: 'a', text: 'x', createdAt: new Date(0).toISOString() };
    const stored = new Map<string, number>();
    const store: Pick<RepostStore, 'add' | 'remove'> = {
      add: async (t, u, at) => (stored.has(u + t) ? { added: false, deleted: false } : (stored.set(u + t, at), { added: true, deleted: false })),
      remove: async (t, u) => {
        const at = stored.get(u + t) ?? null;
        stored.delete(u + t);
        return at;
      },
    };
    const events: EventPublisher = { publish: () => Promise.reject(Object.assign(new Error('broker down'), { code: 'SERVICE_UNAVAILABLE' })) };
    const reposts = createRepostCommands({
      tweets: { getMany: async () => [tweet] },
      reposts: store,
      relations: { blockStates: async () => [{ blocked: false, blockedBy: false }] },
      events,
      writeBudget: limiter,
    });
    await expect(reposts.repost('u1', '123')).rejects.toThrow('broker down');
    expect(stored.size).toBe(0);
  });
});
