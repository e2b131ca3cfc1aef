import { describe, expect, it } from 'vitest';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { FanOutCheckpoints, TimelineStore } from '../domain/timelines/ports.js';
import { EPOCH_MS } from '../domain/snowflake.js';
import { fanOutTweet } from './fan-out.js';

/** In-memory ports: enough of them to follow the fan-out's decisions, nothing more. */
function world(followers: string[], celebritySince: number | null = null) {
  const homes = new Map<string, Set<string>>();
  const celebs = new Map<string, Set<string>>();
  const authorTweets = new Set<string>();
  const told: string[] = [];
  const checkpoints = new Map<string, string>();
  let since = celebritySince;
  const graph = {
    followerCount: async () => followers.length,
    async *scanFollowers(_id: string, size: number, from = '0') {
      for (let i = Number(from); i < followers.length; i += size) {
        const next = i + size >= followers.length ? '0' : String(i + size);
        yield { ids: followers.slice(i, i + size), next };
      }
    },
    followerSplitPoints: async () => [10, 20],
  } as unknown as FollowGraph;
  const timelines = {
    async addToHomeTimelines(ids: readonly string[], tweetId: string) {
      for (const id of ids) homes.set(id, (homes.get(id) ?? new Set()).add(tweetId));
    },
    async addAuthorTweet(_authorId: string, tweetId: string) {
      authorTweets.add(tweetId);
    },
    celebritySince: async () => since,
    async markCelebrity(_a: string, at: number) {
      since ??= at;
      return since;
    },
    async addFollowedCelebrity(ids: readonly string[], authorId: string) {
      for (const id of ids) celebs.set(id, (celebs.get(id) ?? new Set()).add(authorId));
    },
  } as unknown as TimelineStore;
  const live = {
    pushHomeEntry: async () => 0,
    pushAuthorEntry: async () => 0,
    async pushFollowsChanged(ids: readonly string[]) {
      told.push(...ids);
      return ids.length;
    },
  } as unknown as LivePublisher;
  const store: FanOutCheckpoints = {
    get: async (id) => checkpoints.get(id) ?? null,
    save: async (id, c) => void checkpoints.set(id, c),
    clear: async (id) => void checkpoints.delete(id),
  };
  return { deps: { graph, timelines, live, checkpoints: store }, homes, celebs, authorTweets, told, checkpoints, since: () => since };
}

// Snowflake ids whose time part is known: (ms - epoch) << 22.
const EPOCH = EPOCH_MS;
const idAt = (ms: number) => String(BigInt(ms - EPOCH) << 22n);
const tweetAt = (ms: number) => ({ id: idAt(ms), authorId: 'a', text: 'x', createdAt: new Date(ms).toISOString() });
const policy = { chunkSize: 2, celebrityThreshold: 5, splitAbove: 100 };

describe('fanOutTweet', () => {
  it('promotes an author at the threshold and records every follower, without fanning the tweet out', async () => {
    const w = world(['1', '2', '3', '4', '5']);
    const tweet = tweetAt(EPOCH + 5_000);
    expect(await fanOutTweet(w.deps, tweet, 1, policy)).toMatchObject({ mode: 'celebrity', promoted: true });
    expect([...w.celebs.keys()].sort()).toEqual(['1', '2', '3', '4', '5']);
    expect([...w.homes.keys()]).toEqual(['a']);
    expect(w.since()).toBe(EPOCH + 5_000);
    expect(w.checkpoints.size).toBe(0);
    // Live subscribers among them are told to refresh their channels.
    expect(w.told.sort()).toEqual(['1', '2', '3', '4', '5']);
    // Followers read the tweet from the author's list, written before it was pushed.
    expect([...w.authorTweets]).toEqual([tweet.id]);
  });

  it('resumes an interrupted promotion from its checkpoint', async () => {
    const w = world(['1', '2', '3', '4', '5'], EPOCH + 5_000);
    const tweet = tweetAt(EPOCH + 5_000);
    w.checkpoints.set(tweet.id, 'promote:2');
    expect(await fanOutTweet(w.deps, tweet, 1, policy)).toMatchObject({ mode: 'celebrity', promoted: true });
    expect([...w.celebs.keys()].sort()).toEqual(['3', '4', '5']);
  });

  it('still fans out a late tweet from before the promotion, and leaves no checkpoint behind', async () => {
    const w = world(['1', '2', '3', '4', '5'], EPOCH + 5_000);
    expect(await fanOutTweet(w.deps, tweetAt(EPOCH + 4_000), 1, policy)).toMatchObject({ mode: 'direct', delivered: 6 });
    expect(w.checkpoints.size).toBe(0);
  });

  it('splits a large audience below the threshold into slices covering every follow time', async () => {
    const w = world(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    const result = await fanOutTweet(w.deps, tweetAt(EPOCH + 1_000), 1, { ...policy, celebrityThreshold: 1000, splitAbove: 10 });
    expect(result).toEqual({
      mode: 'split',
      slices: [
        { from: null, to: 10 },
        { from: 10, to: 20 },
        { from: 20, to: null },
      ],
    });
    expect([...w.homes.keys()]).toEqual(['a']);
  });
});
