import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { loadConfig } from '../src/config/index.js';
import { createRankingSnapshots } from '../src/adapters/redis/ranking-snapshots.js';
import { createRateLimiter } from '../src/adapters/redis/rate-limiter.js';
import { createTasteStore } from '../src/adapters/redis/taste-store.js';
import { createLikeStore } from '../src/adapters/redis/like-store.js';
import { REBASE_AFTER_HALF_LIVES } from '../src/domain/ranking/decay.js';
import type { RankedEntry } from '../src/domain/ranking/types.js';
import { eventually } from './harness/poll.js';
import { useScratchRedis } from './harness/scratch-redis.js';

const DAY = 24 * 60 * 60 * 1000;
const H = 7 * DAY;
const T0 = Date.UTC(2025, 0, 1);
const limits = { ...loadConfig({}).taste, halfLifeSeconds: H / 1000, popularHalfLifeSeconds: DAY / 1000, dedupeWindowSeconds: DAY / 1000, clickedCap: 5, popularCap: 4 };

/** The Redis adapters behind taste and forYou, against a real redis-server (their Lua runs there). */
describe('taste, rate limit and snapshot stores on a real Redis', () => {
  const scratch = useScratchRedis();
  beforeEach(async () => {
    await scratch.client.flushdb();
  });

  it('keeps one decayed weight per tag, heaviest first, in one read', async () => {
    const store = createTasteStore(scratch.client, limits);
    expect(await store.recordClick({ userId: '1', tweetId: '11', tags: ['sports_fans', 'foodies'], at: T0 })).toBe(true);
    expect(await store.recordClick({ userId: '1', tweetId: '12', tags: ['sports_fans'], at: T0 + H })).toBe(true);
    const now = T0 + H;
    const top = await store.topTags('1', 10, now);
    expect(top.map((t) => t.tag)).toEqual(['sports_fans', 'foodies']);
    expect(top[0]!.weight).toBeCloseTo(1.5, 9);
    expect(top[1]!.weight).toBeCloseTo(0.5, 9);
    // Reading later decays every tag alike.
    const later = await store.topTags('1', 10, now + H);
    expect(later[0]!.weight).toBeCloseTo(0.75, 9);
    expect(await store.topTags('1', 1, now)).toHaveLength(1);
    expect(await store.topTags('nobody', 10, now)).toEqual([]);
  });

  it('counts a repeated click on one tweet once per window, and a redelivery never', async () => {
    const store = createTasteStore(scratch.client, limits);
    const click = { userId: '2', tweetId: '21', tags: ['gamers'], at: T0 };
    expect(await store.recordClick(click)).toBe(true);
    expect(await store.recordClick(click)).toBe(false);
    expect(await store.recordClick({ ...click, at: T0 + DAY / 2 })).toBe(false);
    expect((await store.topTags('2', 5, T0))[0]!.weight).toBeCloseTo(1, 9);
    expect(await store.recordClick({ ...click, at: T0 + 2 * DAY })).toBe(true);
    expect((await store.topTags('2', 5, T0 + 2 * DAY))[0]!.weight).toBeCloseTo(1 + 2 ** (-2 / 7), 9);
    expect(await store.clickedAmong('2', ['21', '22'])).toEqual([true, false]);
  });

  it('rebases a set once its scores would outgrow 2^64, keeping the current weights', async () => {
    const store = createTasteStore(scratch.client, limits);
    const far = T0 + (REBASE_AFTER_HALF_LIVES + 10) * H;
    await store.recordClick({ userId: '3', tweetId: '31', tags: ['bookworms'], at: T0 });
    await store.recordClick({ userId: '3', tweetId: '32', tags: ['gamers'], at: far - H });
    await store.recordClick({ userId: '3', tweetId: '33', tags: ['gamers'], at: far });
    // The second click was already 73 half-lives past the first: it moved the anchor.
    expect(Number(await scratch.client.get(keys.tasteAnchor('3')))).toBe(far - H);
    const top = await store.topTags('3', 10, far);
    // bookworms had decayed below the forget threshold (2^-74 of a click) and is gone.
    expect(top).toEqual([{ tag: 'gamers', weight: expect.closeTo(1.5, 9) as number }]);
    const raw = await scratch.client.zrange(keys.taste('3'), 0, -1, 'WITHSCORES');
    expect(raw.filter((_, i) => i % 2 === 1).every((s) => Number.isFinite(Number(s)) && Number(s) < 2 ** 65)).toBe(true);
  });

  it('caps the clicked set and the popular set, and scales popularity to the top tweet', async () => {
    const store = createTasteStore(scratch.client, limits);
    for (let i = 0; i < 8; i++) await store.recordClick({ userId: '4', tweetId: `40${i}`, tags: [], at: T0 + i });
    expect(await scratch.client.zcard(keys.clicked('4'))).toBe(5);
    expect(await store.clickedAmong('4', ['400', '407'])).toEqual([false, true]);
    for (const user of ['5', '6', '7']) await store.recordClick({ userId: user, tweetId: '407', tags: [], at: T0 + 10 });
    const popular = await store.popular(10);
    expect(popular).toHaveLength(4);
    expect(popular[0]).toEqual({ tweetId: '407', popularity: 1 });
    expect(popular[1]!.popularity).toBeCloseTo(0.25, 6);
  });

  it('learns a like by its weight, once, only while the like stands, and an unlike takes exactly it back', async () => {
    const store = createTasteStore(scratch.client, limits);
    const likes = createLikeStore(scratch.client);
    const like = { userId: '10', tweetId: '101', authorId: '7', tags: ['sports_fans', 'foodies'], at: T0 };
    // Not liked (an unlike came first, or a newer like will teach): nothing learned.
    expect(await store.learnLike(like)).toBe(false);
    expect(await likes.like('10', '101', T0)).toEqual({ changed: true, likeCount: 1 });
    expect(await likes.like('10', '101', T0 + 5)).toEqual({ changed: false, likeCount: 1 });
    expect(await likes.likedAmong('10', ['101', '102'])).toEqual([true, false]);
    expect(await store.learnLike(like)).toBe(true);
    expect(await store.learnLike(like)).toBe(false);
    await store.recordClick({ userId: '10', tweetId: '102', tags: ['sports_fans'], at: T0 });
    const profile = await store.profile('10', T0);
    expect(profile.tags).toEqual([
      { tag: 'sports_fans', weight: expect.closeTo(limits.signalWeights.like + limits.signalWeights.click, 9) as number, source: { signal: 'like', count: 1 } },
      { tag: 'foodies', weight: expect.closeTo(limits.signalWeights.like, 9) as number, source: { signal: 'like', count: 1 } },
    ]);
    // A week later the like is undone: its decayed share goes, exactly; the click stays.
    expect(await likes.unlike('10', '101')).toEqual({ likedAt: T0, likeCount: 0 });
    expect(await likes.unlike('10', '101')).toEqual({ likedAt: null, likeCount: 0 });
    expect(await store.unlearnLike(like)).toBe(true);
    expect(await store.unlearnLike(like)).toBe(false);
    expect((await store.profile('10', T0 + H)).tags).toEqual([{ tag: 'sports_fans', weight: expect.closeTo(0.5, 9) as number, source: { signal: 'click', count: 1 } }]);
  });

  it('hides a tweet at once, and learns "not interested" on its tags and author once', async () => {
    const store = createTasteStore(scratch.client, limits);
    await store.recordClick({ userId: '11', tweetId: '110', tags: ['gamers'], at: T0 });
    expect(await store.hide('11', '111', T0)).toBe(true);
    expect(await store.hide('11', '111', T0 + 1)).toBe(false);
    expect(await store.hiddenAmong('11', ['110', '111'])).toEqual([false, true]);
    const signal = { userId: '11', tweetId: '111', authorId: '70', tags: ['gamers', 'music_lovers'], at: T0 };
    expect(await store.learnNotInterested(signal)).toBe(true);
    expect(await store.learnNotInterested(signal)).toBe(false);
    const { notInterested: w, notInterestedTag: tw } = limits.signalWeights;
    const profile = await store.profile('11', T0);
    expect(profile.tags.map((t) => [t.tag, t.weight])).toEqual([
      ['gamers', expect.closeTo(1 + tw, 9)],
      ['music_lovers', expect.closeTo(tw, 9)],
    ]);
    expect(profile.authors).toEqual(new Map([['70', expect.closeTo(w, 9)]]));
    // A replay on an empty Redis hides the tweet too.
    await scratch.client.del(keys.tasteHidden('11'), keys.tasteLearned('11'));
    await store.learnNotInterested(signal);
    expect(await store.hiddenAmong('11', ['111'])).toEqual([true]);
  });

  it('removes a tag at once and never relearns it from older signals; newer ones teach it again', async () => {
    const store = createTasteStore(scratch.client, limits);
    await store.recordClick({ userId: '12', tweetId: '120', tags: ['gamers', 'foodies'], at: T0 });
    await store.setInterests('12', ['gamers', 'wanderlust'], T0);
    await store.removeTag('12', 'gamers', T0 + 10);
    expect((await store.topTags('12', 10, T0 + 10)).map((t) => t.tag)).toEqual(['wanderlust', 'foodies']);
    // A click from before the removal that arrives late (a retry) teaches foodies, not gamers.
    await store.recordClick({ userId: '12', tweetId: '121', tags: ['gamers', 'foodies'], at: T0 + 5 });
    expect((await store.topTags('12', 10, T0 + 10)).map((t) => t.tag)).toEqual(['wanderlust', 'foodies']);
    await store.recordClick({ userId: '12', tweetId: '122', tags: ['gamers'], at: T0 + 20 });
    const profile = await store.profile('12', T0 + 20);
    expect(profile.tags.find((t) => t.tag === 'gamers')).toEqual({ tag: 'gamers', weight: expect.closeTo(1, 9) as number, source: { signal: 'click', count: 1 } });
  });

  it('replaces chosen interests with the latest choice, whatever order the choices arrive in', async () => {
    const store = createTasteStore(scratch.client, limits);
    expect(await store.setInterests('13', ['foodies', 'gamers'], T0 + 2)).toBe(true);
    expect(await store.setInterests('13', ['bookworms'], T0 + 1)).toBe(false);
    expect((await store.profile('13', T0)).tags).toEqual([
      { tag: 'foodies', weight: limits.signalWeights.interest, source: { signal: 'chosen' } },
      { tag: 'gamers', weight: limits.signalWeights.interest, source: { signal: 'chosen' } },
    ]);
    // Applied again (the taste group after the API): the same.
    expect(await store.setInterests('13', ['foodies', 'gamers'], T0 + 2)).toBe(true);
    // A removal does not undo a choice made after it.
    await store.removeTag('13', 'foodies', T0 + 1);
    expect((await store.topTags('13', 5, T0)).map((t) => t.tag)).toEqual(['foodies', 'gamers']);
    expect(await store.setInterests('13', [], T0 + 3)).toBe(true);
    expect(await store.topTags('13', 5, T0)).toEqual([]);
  });

  it('rate-limits per subject and writes nothing when it refuses', async () => {
    const limiter = createRateLimiter(scratch.client, { action: 'click', limit: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect(await limiter.take('8')).toEqual({ allowed: true });
    const size = await scratch.client.dbsize();
    const counter = await scratch.client.get(keys.rateLimit('click', '8'));
    const refused = await limiter.take('8');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) as number });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(await scratch.client.dbsize()).toBe(size);
    expect(await scratch.client.get(keys.rateLimit('click', '8'))).toBe(counter);
    expect(await limiter.take('9')).toEqual({ allowed: true });
  });

  it('stores rankings per user, reads pages from them, and forgets them after the TTL', async () => {
    const snapshots = createRankingSnapshots(scratch.client, { ttlSeconds: 1, perUser: 5 });
    const entries: RankedEntry[] = Array.from({ length: 5 }, (_, i) => ({ tweetId: `5${i}`, authorId: '1', score: 5 - i, reasons: [{ kind: 'follow' }] }));
    const id = await snapshots.save('1', entries);
    expect(await snapshots.read('1', id, 1, 2)).toEqual({ entries: entries.slice(1, 3), total: 5 });
    expect(await snapshots.read('1', id, 5, 2)).toEqual({ entries: [], total: 5 });
    expect(await snapshots.read('2', id, 0, 2)).toBeNull();
    await eventually(() => snapshots.read('1', id, 0, 2), (r) => r === null, { what: 'snapshot expiry', timeoutMs: 5_000 });
  });

  it('keeps at most `perUser` rankings per user: a newer one deletes the oldest, other users keep theirs', async () => {
    const snapshots = createRankingSnapshots(scratch.client, { ttlSeconds: 60, perUser: 2 });
    const entries: RankedEntry[] = Array.from({ length: 1500 }, (_, i) => ({ tweetId: `6${i}`, authorId: '1', score: 1500 - i, reasons: [] }));
    const other = await snapshots.save('4', entries.slice(0, 1));
    const ids = [await snapshots.save('3', entries), await snapshots.save('3', entries), await snapshots.save('3', entries)];
    expect(await snapshots.read('3', ids[0]!, 0, 1)).toBeNull();
    expect(await snapshots.read('3', ids[1]!, 1499, 5)).toEqual({ entries: entries.slice(1499), total: 1500 });
    expect(await snapshots.read('3', ids[2]!, 0, 1)).toEqual({ entries: entries.slice(0, 1), total: 1500 });
    expect(await snapshots.read('4', other, 0, 1)).not.toBeNull();
    expect(await scratch.client.keys('foryou:{3}*')).toHaveLength(3);
  });
});
