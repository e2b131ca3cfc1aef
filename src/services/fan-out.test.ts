import { describe, expect, it } from 'vitest';
import type { Position } from '../domain/cursor.js';
import type { FollowGraph } from '../domain/follows/ports.js';
import type { LivePublisher } from '../domain/live/ports.js';
import type { FanOutCheckpoints, TimelineStore } from '../domain/timelines/ports.js';
import { EPOCH_MS } from '../domain/snowflake.js';
import { encodePosition, fanOutRepost, fanOutSlice, fanOutTweet, parsePosition, repostWalk } from './fan-out.js';

/** In-memory ports: enough of them to follow the fan-out's decisions, nothing more. */
function world(followers: string[], celebritySince: number | null = null, mutedSince: Record<string, number> = {}, authorFollowers: string[] = []) {
  const homes = new Map<string, Set<string>>();
  const celebs = new Map<string, Set<string>>();
  const authorTweets = new Set<string>();
  const told: string[] = [];
  const checkpoints = new Map<string, string>();
  let since = celebritySince;
  const graph = {
    followerCount: async () => followers.length,
    // Follower i (0-based) followed at time i + 1: positions are (i + 1, id).
    async followersAfter(_id: string, after: Position | null, limit: number) {
      const start = after ? followers.indexOf(after.member) + 1 : 0;
      const ids = followers.slice(start, start + limit);
      const lastIndex = start + ids.length - 1;
      return { ids, last: ids.length ? { score: lastIndex + 1, member: ids.at(-1)! } : null, done: lastIndex + 1 >= followers.length };
    },
    followerSplitPoints: async () => [10, 20],
    // Who of `ids` follows the tweet's author (the only followee asked about here).
    followedBy: async (_id: string, ids: readonly string[]) => ids.map((id) => authorFollowers.includes(id)),
  } as unknown as FollowGraph;
  const timelines = {
    fanOutChunk: null,
    async addToActiveHomeTimelines(ids: readonly string[], tweetId: string) {
      for (const id of ids) homes.set(id, (homes.get(id) ?? new Set()).add(tweetId));
      return [...ids];
    },
    async addOwnTweet(id: string, tweetId: string) {
      homes.set(id, (homes.get(id) ?? new Set()).add(tweetId));
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
    publishHomeEntry: async () => undefined,
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
  // Followers who muted the author, and when.
  const relations = {
    excludedAudience: async (_author: string, ids: readonly string[], at: number) => ids.map((id) => (mutedSince[id] ?? Infinity) <= at),
  };
  return { deps: { graph, timelines, live, checkpoints: store, relations }, homes, celebs, authorTweets, told, checkpoints, since: () => since };
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
    w.checkpoints.set(tweet.id, `promote:${encodePosition({ score: 2, member: '2' })}`);
    expect(await fanOutTweet(w.deps, tweet, 1, policy)).toMatchObject({ mode: 'celebrity', promoted: true });
    expect([...w.celebs.keys()].sort()).toEqual(['3', '4', '5']);
  });

  it('resumes an interrupted fan-out right after the checkpointed follower, and starts over on an unreadable checkpoint', async () => {
    const w = world(['1', '2', '3', '4', '5']);
    const tweet = tweetAt(EPOCH + 1_000);
    w.checkpoints.set(tweet.id, encodePosition({ score: 3, member: '3' }));
    expect(await fanOutTweet(w.deps, tweet, 1, { ...policy, celebrityThreshold: 100 })).toMatchObject({ mode: 'direct', covered: 2, resumed: true });
    expect([...w.homes.keys()].sort()).toEqual(['4', '5']);
    expect(w.checkpoints.size).toBe(0);
    // A ZSCAN cursor left by an earlier version: the walk starts over (writes are idempotent).
    const again = world(['1', '2', '3']);
    again.checkpoints.set(tweet.id, '1234');
    expect(await fanOutTweet(again.deps, tweet, 1, policy)).toMatchObject({ mode: 'direct', covered: 3, resumed: true });
    expect(parsePosition('12:345')).toEqual({ score: 12, member: '345' });
    expect(parsePosition('')).toBeNull();
  });

  it('checkpoints after every chunk but the last', async () => {
    const w = world(['1', '2', '3', '4', '5']);
    const saved: string[] = [];
    const save = w.deps.checkpoints.save;
    w.deps.checkpoints.save = async (id, c) => void (saved.push(c), await save(id, c));
    await fanOutTweet(w.deps, tweetAt(EPOCH + 1_000), 1, { ...policy, celebrityThreshold: 100 });
    expect(saved).toEqual(['2:2', '4:4']);
    expect(w.checkpoints.size).toBe(0);
  });

  it('still fans out a late tweet from before the promotion, and leaves no checkpoint behind', async () => {
    const w = world(['1', '2', '3', '4', '5'], EPOCH + 5_000);
    expect(await fanOutTweet(w.deps, tweetAt(EPOCH + 4_000), 1, policy)).toMatchObject({ mode: 'direct', delivered: 6 });
    expect(w.checkpoints.size).toBe(0);
  });

  it('skips followers who muted the author before the tweet, not those who muted it later', async () => {
    const w = world(['1', '2', '3'], null, { '2': EPOCH + 500, '3': EPOCH + 2_000 });
    expect(await fanOutTweet(w.deps, tweetAt(EPOCH + 1_000), 1, { ...policy, celebrityThreshold: 100 })).toMatchObject({ mode: 'direct', covered: 3, delivered: 3 });
    expect([...w.homes.keys()].sort()).toEqual(['1', '3', 'a']);
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

  it('is a short chain of round trips: the opening reads go together, the author is written alongside the first chunk and pushed after', async () => {
    const w = world(['1', '2', '3']);
    const calls: string[] = [];
    const deps = {
      graph: traced('graph', w.deps.graph, calls),
      timelines: traced('timelines', w.deps.timelines, calls),
      live: traced('live', w.deps.live, calls),
      checkpoints: traced('checkpoints', w.deps.checkpoints, calls),
      relations: w.deps.relations,
    };
    const result = await fanOutTweet(deps, tweetAt(EPOCH + 1_000), 1, { ...policy, chunkSize: 10, celebrityThreshold: 100 });
    expect(result).toMatchObject({ mode: 'direct', covered: 3, delivered: 4 });
    const at = (event: string) => {
      const i = calls.indexOf(event);
      expect(i, event).toBeGreaterThanOrEqual(0);
      return i;
    };
    // One wave: all three reads are sent before the first answer comes back.
    const firstAnswer = calls.findIndex((c) => c.startsWith('end '));
    for (const read of ['checkpoints.get', 'timelines.celebritySince', 'graph.followerCount']) expect(at(`start ${read}`)).toBeLessThan(firstAnswer);
    // The author's own timeline does not wait for the followers' chunk, nor the chunk for it…
    expect(at('start timelines.addOwnTweet')).toBeLessThan(at('end graph.followersAfter'));
    expect(at('start graph.followersAfter')).toBeLessThan(at('end timelines.addOwnTweet'));
    // …but its push comes only once it is written (store before publish).
    expect(at('start live.pushHomeEntry')).toBeGreaterThan(at('end timelines.addOwnTweet'));
    expect([...w.homes.keys()].sort()).toEqual(['1', '2', '3', 'a']);
  });
});

/** Every method of `port` answers a macrotask later (a round trip), and its start and end are recorded in `calls`. */
function traced<T extends object>(name: string, port: T, calls: string[]): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const label = `${name}.${String(property)}`;
      return async (...args: unknown[]) => {
        calls.push(`start ${label}`);
        await new Promise((r) => setImmediate(r));
        const answer: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        calls.push(`end ${label}`);
        return answer;
      };
    },
  });
}

describe('fanOutRepost', () => {
  it("delivers the original at the repost's time, only where absent, to the reposter's followers but the author, the author's followers and muters, under its own checkpoint", async () => {
    const w = world(['a', '1', '3', '4'], null, { '3': EPOCH + 6_000 }, ['1']);
    const placements: unknown[] = [];
    const add = w.deps.timelines.addToActiveHomeTimelines.bind(w.deps.timelines);
    w.deps.timelines.addToActiveHomeTimelines = async (ids, tweetId, placement) => {
      placements.push(placement);
      return add(ids, tweetId, placement);
    };
    const tweet = tweetAt(EPOCH + 5_000);
    // The original's own fan-out was interrupted: the repost must neither resume nor clear it.
    w.checkpoints.set(tweet.id, '9:77');
    const result = await fanOutRepost(w.deps, { reposterId: 'r', tweet, repostedAt: EPOCH + 7_000 }, 1, policy);
    expect(result).toEqual({ mode: 'direct', covered: 4, delivered: 1, resumed: false });
    expect([...w.homes.keys()].sort()).toEqual(['4']);
    expect(w.homes.has('r')).toBe(false);
    expect(placements.every((p) => JSON.stringify(p) === JSON.stringify({ score: EPOCH + 7_000, onlyNew: true }))).toBe(true);
    expect([...w.checkpoints]).toEqual([[tweet.id, '9:77']]);
  });

  it('sends its opening reads together (one round trip), as a tweet does', async () => {
    const w = world(['1', '2']);
    const calls: string[] = [];
    const deps = {
      graph: traced('graph', w.deps.graph, calls),
      timelines: traced('timelines', w.deps.timelines, calls),
      live: w.deps.live,
      checkpoints: traced('checkpoints', w.deps.checkpoints, calls),
      relations: w.deps.relations,
    };
    await fanOutRepost(deps, { reposterId: 'r', tweet: tweetAt(EPOCH + 5_000), repostedAt: EPOCH + 7_000 }, 1, policy);
    const firstAnswer = calls.findIndex((c) => c.startsWith('end '));
    for (const read of ['checkpoints.get', 'timelines.celebritySince', 'graph.followerCount']) {
      expect(calls.indexOf(`start ${read}`), read).toBeGreaterThanOrEqual(0);
      expect(calls.indexOf(`start ${read}`), read).toBeLessThan(firstAnswer);
    }
  });

  it('resumes from its own checkpoint, and leaves a celebrity reposter not fanned out', async () => {
    const w = world(['1', '2', '3', '4']);
    const tweet = tweetAt(EPOCH + 5_000);
    w.checkpoints.set(repostWalk('r', tweet.id), encodePosition({ score: 2, member: '2' }));
    expect(await fanOutRepost(w.deps, { reposterId: 'r', tweet, repostedAt: EPOCH + 7_000 }, 1, policy)).toMatchObject({ mode: 'direct', resumed: true, covered: 2 });
    expect([...w.homes.keys()].sort()).toEqual(['3', '4']);
    expect(w.checkpoints.size).toBe(0);

    const big = world(['1', '2', '3', '4', '5', '6']);
    expect(await fanOutRepost(big.deps, { reposterId: 'r', tweet, repostedAt: EPOCH + 7_000 }, 1, policy)).toEqual({ mode: 'celebrity' });
    expect(big.homes.size).toBe(0);
  });

  it('cuts a large audience into slices, as for tweets, and writes a slice at the repost time', async () => {
    const w = world(['1', '2', '3', '4']);
    const tweet = tweetAt(EPOCH + 5_000);
    const repost = { reposterId: 'r', tweet, repostedAt: EPOCH + 7_000 };
    expect(await fanOutRepost(w.deps, repost, 1, { ...policy, splitAbove: 3 })).toEqual({
      mode: 'split',
      slices: [
        { from: null, to: 10 },
        { from: 10, to: 20 },
        { from: 20, to: null },
      ],
    });
    expect(w.homes.size).toBe(0);
    expect(await fanOutSlice(w.deps, tweet, 1, { from: null, to: null }, policy, { reposterId: 'r', repostedAt: EPOCH + 7_000 })).toMatchObject({ covered: 4, delivered: 4 });
    expect([...w.homes.keys()].sort()).toEqual(['1', '2', '3', '4']);
  });
});
