import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFollowGraph } from '../src/adapters/redis/follow-graph.js';
import { keys } from '../src/adapters/redis/keys.js';
import { createTimelineStore, queueLastSeen, queueTimelineEntries, REBUILD_LEASE_MS } from '../src/adapters/redis/timeline-store.js';
import type { Position } from '../src/domain/cursor.js';
import { createSnowflake } from '../src/domain/snowflake.js';
import type { FanOutChunkResult, TimelineStore } from '../src/domain/timelines/ports.js';
import { startLocalRedis, type LocalRedis } from '../src/local/redis-server.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually } from './harness/poll.js';

const CAP = 20;
const DAY = 24 * 60 * 60 * 1000;
const WINDOW = 7 * DAY;

/** Tweet ids one millisecond apart, oldest first. */
function tweetIds(count: number, from = Date.UTC(2026, 0, 1)): string[] {
  let now = from;
  const ids = createSnowflake(5, () => now);
  return Array.from({ length: count }, () => (now++, ids.next()));
}

const tweet = (id: string, authorId = '1') => ({ tweet: { id, authorId, text: 'x', createdAt: '' }, producedAt: 0 });

/** Every chunk of a server-side fan-out of `id` from `author`, `limit` followers a call. */
async function fanOutAll(store: TimelineStore, author: string, id: string, limit: number) {
  const chunks: FanOutChunkResult[] = [];
  let after: Position | null = null;
  for (;;) {
    const chunk: FanOutChunkResult = await store.fanOutChunk!({ authorId: author, entry: tweet(id, author), range: { from: null, to: null }, after, limit });
    chunks.push(chunk);
    if (chunk.done) return chunks;
    after = chunk.last;
  }
}

/** Fan-out's timeline writes, activity and rebuilds, and the bulk loader's, on a real redis-server. */
describe('timeline store on a real Redis', () => {
  let server: LocalRedis;
  let redis: Redis;
  let dataDir: string;
  let now: number;
  const store = () => createTimelineStore(redis, { homeCap: CAP, authorCap: 100, activeWindowMs: WINDOW }, { clock: () => now });
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
    now = Date.now();
  });

  it('fans out inside Redis: every active follower once, the newest CAP kept, a repeat ignored, nothing for the inactive', async () => {
    const graph = createFollowGraph(redis);
    const followers = Array.from({ length: 50 }, (_, i) => String(1_000 + i));
    for (const [i, f] of followers.entries()) await graph.follow(f, '1', 100 + i);
    // Followers 0–9 were last seen longer ago than the window; 10–19 have never been seen.
    for (const f of followers.slice(0, 10)) await redis.set(keys.lastSeen(f), now - WINDOW - 1);
    for (const f of followers.slice(20)) await redis.set(keys.lastSeen(f), now - DAY);
    const ids = tweetIds(CAP + 5);
    for (const id of ids) {
      const chunks = await fanOutAll(store(), '1', id, 7);
      expect(chunks.reduce((n, c) => n + c.covered, 0)).toBe(50);
      expect(chunks.reduce((n, c) => n + c.delivered, 0)).toBe(40);
    }
    await fanOutAll(store(), '1', ids.at(-1)!, 7); // redelivered
    for (const f of followers.slice(10)) {
      expect(await redis.zrange(keys.homeTimeline(f), 0, -1, 'REV')).toEqual(ids.slice(-CAP).reverse());
      // A new timeline expires a window after its owner was seen; never seen means seen now.
      const expiresAt = Number(await redis.pexpiretime(keys.homeTimeline(f)));
      expect(expiresAt).toBe((followers.indexOf(f) < 20 ? now : now - DAY) + WINDOW);
    }
    for (const f of followers.slice(0, 10)) expect(await redis.exists(keys.homeTimeline(f))).toBe(0);
    expect(Number(await redis.get(keys.lastSeen(followers[15]!)))).toBe(now);
  });

  it('reports the followers with a live listener and resumes exactly after the last position it returned', async () => {
    const graph = createFollowGraph(redis);
    for (let i = 0; i < 10; i++) await graph.follow(String(2_000 + i), '1', 50);
    await redis.set(keys.listening(keys.homeChannel('2003')), '1');
    await redis.set(keys.listening(keys.homeChannel('2008')), '1');
    const [id] = tweetIds(1);
    const first = await store().fanOutChunk!({ authorId: '1', entry: tweet(id!), range: { from: null, to: null }, after: null, limit: 5 });
    expect(first).toMatchObject({ covered: 5, delivered: 5, listened: ['2003'], last: { score: 50, member: '2004' }, done: false });
    // The last follower handed out leaves before the next chunk: the walk still goes on after it.
    await graph.unfollow('2004', '1');
    const second = await store().fanOutChunk!({ authorId: '1', entry: tweet(id!), range: { from: null, to: null }, after: first.last, limit: 5 });
    expect(second).toMatchObject({ covered: 5, delivered: 5, listened: ['2008'], done: true });
  });

  it('writes the per-slot path the same way: only active followers, and says which', async () => {
    for (const f of ['7', '8']) await redis.set(keys.lastSeen(f), now - WINDOW - 1);
    const [id] = tweetIds(1);
    expect((await store().addToActiveHomeTimelines(['6', '7', '8', '9'], id!)).sort()).toEqual(['6', '9']);
    expect(await redis.exists(keys.homeTimeline('7'))).toBe(0);
  });

  it('reads a page as activity: refreshed at most every few minutes, and a returning reader leases a rebuild', async () => {
    const s = store();
    const ids = tweetIds(5);
    await s.addToActiveHomeTimelines(['42'], ids[0]!);
    expect((await s.homePage('42', 10)).rebuild).toBe('none');
    const seen = Number(await redis.get(keys.lastSeen('42')));
    now += 60_000;
    await s.homePage('42', 10);
    expect(Number(await redis.get(keys.lastSeen('42')))).toBe(seen);

    // Back after the window: the first reader starts the rebuild, a second one finds it running.
    now += WINDOW + DAY;
    expect((await s.homePage('42', 10)).rebuild).toBe('start');
    expect((await s.homePage('42', 10)).rebuild).toBe('running');
    // Fan-out treats the returning reader as active again at once.
    expect(await s.addToActiveHomeTimelines(['42'], ids[1]!)).toEqual(['42']);
    // A rebuild that dies: its lease runs out and the next reader starts it again.
    await redis.pexpire(keys.homeRebuild('42'), 1);
    await eventually(() => redis.exists(keys.homeRebuild('42')), (n) => n === 0, { intervalMs: 1, what: 'the rebuild lease expired' });
    expect((await s.homePage('42', 10)).rebuild).toBe('start');

    await s.addAuthorTweet('5', ids[2]!);
    await s.addAuthorTweet('6', ids[3]!);
    expect(await s.rebuildHome('42', ['5', '6'])).toBe(2);
    const page = await s.homePage('42', 10);
    expect(page.rebuild).toBe('none');
    expect(page.ids).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(await redis.exists(keys.homeRebuild('42'))).toBe(0);
    expect(Number(await redis.pexpiretime(keys.homeTimeline('42')))).toBe(now + WINDOW);
    expect(REBUILD_LEASE_MS).toBeGreaterThan(1000);
  });

  it('rebuilds from the newest entries of many authors, at most CAP, skipping what cannot make it', async () => {
    const s = store();
    const authors = Array.from({ length: 150 }, (_, i) => String(500 + i));
    const all: string[] = [];
    for (const [i, a] of authors.entries()) {
      for (const id of tweetIds(3, Date.UTC(2026, 1, 1) + i * 10)) {
        await s.addAuthorTweet(a, id);
        all.push(id);
      }
    }
    expect(await s.rebuildHome('77', authors)).toBe(CAP);
    const newest = [...all].sort((x, y) => (BigInt(y) > BigInt(x) ? 1 : -1)).slice(0, CAP);
    expect(await redis.zrange(keys.homeTimeline('77'), 0, -1, 'REV')).toEqual(newest);
  });

  it("merges a followee into an active user's timeline, never into an inactive one's", async () => {
    const s = store();
    const ids = tweetIds(3);
    for (const id of ids) await s.addAuthorTweet('5', id);
    await redis.set(keys.lastSeen('30'), now - WINDOW - 1);
    await s.mergeAuthorIntoHome('30', '5');
    await s.mergeAuthorIntoHome('31', '5');
    expect(await redis.exists(keys.homeTimeline('30'))).toBe(0);
    expect(await redis.zcard(keys.homeTimeline('31'))).toBe(3);
  });

  it('counts a post as activity, and marks an author back after the window for a rebuild', async () => {
    const s = store();
    const [old] = tweetIds(1, now - 30 * DAY);
    const [fresh] = tweetIds(1, now);
    await s.addOwnTweet('9', old!);
    expect(Number(await redis.get(keys.lastSeen('9')))).toBeLessThan(now - WINDOW);
    await s.addOwnTweet('9', fresh!);
    expect(Number(await redis.get(keys.lastSeen('9')))).toBeLessThan(0);
    expect((await s.homePage('9', 5)).rebuild).toBe('start');
  });

  it('bulk-writes whole timelines through queueTimelineEntries with the same scores and cap', async () => {
    const ids = tweetIds(CAP + 10);
    const pipeline = redis.pipeline();
    queueTimelineEntries(pipeline, { kind: 'home', userId: '42' }, ids, CAP);
    queueLastSeen(pipeline, '42', now, WINDOW);
    queueTimelineEntries(pipeline, { kind: 'author', userId: '42' }, ids.slice(0, 3), CAP);
    await pipeline.exec();
    const s = store();
    expect((await s.homePage('42', 100)).ids).toEqual(ids.slice(-CAP).reverse());
    expect((await s.authorPage('42', 100)).ids).toEqual(ids.slice(0, 3).reverse());
    // A later fan-out write lands among the seeded entries by time, and the cap still holds.
    const newer = tweetIds(CAP + 11).at(-1)!; // a millisecond after the newest seeded one
    await s.addToActiveHomeTimelines(['42'], newer);
    const after = await redis.zrange(keys.homeTimeline('42'), 0, -1, 'REV', 'WITHSCORES');
    expect(after.length / 2).toBe(CAP);
    expect(after[0]).toBe(newer);
  });

  it('reads the entries after a position oldest first, within equal scores too, up to a limit (live catch-ups)', async () => {
    const store = createTimelineStore(redis, { homeCap: CAP, authorCap: 100, activeWindowMs: WINDOW });
    // Tweets of now: a home timeline expires a window after its owner's newest activity.
    const ids = tweetIds(6, Date.now());
    for (const id of ids) await store.addOwnTweet('7', id);
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
