import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { decodeCursor, type Position } from '../domain/cursor.js';
import { pushedEntryPosition } from '../domain/live/delivery.js';
import type { EntryRemoval, HomeChannelMessage, HomeEntryPush, LiveFeed } from '../domain/live/ports.js';
import { EPOCH_MS } from '../domain/snowflake.js';
import type { IdPage, Tweet } from '../domain/types.js';
import type { LiveConnection, RequestContext } from '../graphql/context.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { HomeTimeline } from '../services/home-timeline.js';
import { openHomeStream, type HomeStreamItem } from './homeTimelineStream.js';

/** Snowflake ids a millisecond apart, so positions are known: tweet n is at EPOCH + n ms. */
const idAt = (n: number) => String(BigInt(n) << 22n);
const tweet = (n: number, authorId = 'a'): Tweet => ({ id: idAt(n), authorId, text: `t${n}`, createdAt: new Date(EPOCH_MS + n).toISOString() });
const at = (n: number): Position => pushedEntryPosition(idAt(n));
const push = (n: number, authorId = 'a'): HomeEntryPush => ({ tweet: tweet(n, authorId), producedAt: 0 });

/**
 * In-memory ports with hooks: a timeline of tweet numbers, celebrity lists, a feed that records its
 * listeners, and `duringRead`, run while a catch-up read is in flight (pushes arriving meanwhile).
 */
function world(
  options: { timeline?: number[]; celebrities?: Record<string, number[]>; limit?: number; stored?: (id: string) => boolean; authorOf?: (n: number) => string } = {},
) {
  const timeline = new Set(options.timeline ?? []);
  /** Authors hidden from the viewer (mutes and blocks). */
  const hidden = new Set<string>();
  const celebrities = new Map(Object.entries(options.celebrities ?? {}));
  const followed = new Set(celebrities.keys());
  const homeListeners = new Set<(m: HomeChannelMessage) => void>();
  const authorListeners = new Map<string, Set<(e: HomeEntryPush) => void>>();
  const removalListeners = new Set<(r: EntryRemoval) => void>();
  /** Tweet numbers whose stored verdict flags them. */
  const flagged = new Set<number>();
  let duringRead: (() => void) | undefined;

  const feed: LiveFeed = {
    async home(_userId, onMessage) {
      homeListeners.add(onMessage);
      return () => homeListeners.delete(onMessage);
    },
    async author(authorId, onEntry) {
      const set = authorListeners.get(authorId) ?? new Set();
      authorListeners.set(authorId, set.add(onEntry));
      return () => set.delete(onEntry);
    },
    tweet: async () => () => {},
    notifications: async () => () => {},
    async removals(onRemoved) {
      removalListeners.add(onRemoved);
      return () => removalListeners.delete(onRemoved);
    },
    channelCount: () => homeListeners.size + [...authorListeners.values()].reduce((n, s) => n + s.size, 0),
    stop: async () => {},
  };
  const home = {
    followedCelebrities: async () => [...followed],
    hiddenFrom: async () => new Set(hidden),
    // Every entry here is at its tweet's own time: none is there through a repost.
    repostersOf: async (page: IdPage) => page.ids.map(() => null),
    repostAttribution: async () => ({ retracted: new Set(), repostedBy: new Map() }),
    async entriesAfter(_userId: string, after: Position, limit: number): Promise<IdPage> {
      duringRead?.();
      const all = [...timeline, ...[...followed].flatMap((c) => celebrities.get(c) ?? [])]
        .filter((n) => at(n).score > after.score)
        .sort((x, y) => x - y);
      const kept = all.slice(0, limit);
      return { ids: kept.map(idAt), scores: kept.map((n) => at(n).score), hasNextPage: all.length > limit };
    },
  } as unknown as HomeTimeline;
  const metrics = createMetrics().live;
  const live: LiveConnection = {
    feed,
    metrics,
    verdicts: { flagged: async (id) => flagged.has(Number(BigInt(id) >> 22n)), remember: () => {} },
    logger: createLogger({ level: 'silent' }),
    queueCapacity: 16,
    isBackedUp: () => false,
    dropSlowClient: () => {},
  };
  const stored = options.stored ?? (() => true);
  const byId = (id: string) => {
    const n = Number(BigInt(id) >> 22n);
    return tweet(n, options.authorOf?.(n) ?? 'a');
  };
  const ctx = {
    viewerId: 'viewer',
    services: { home, limits: { liveCatchUpLimit: options.limit ?? 10, liveCatchUpWaitMs: 500 } },
    loaders: {
      tweet: new DataLoader(async (ids: readonly string[]) => ids.map((id) => (stored(id) ? byId(id) : null))),
      // Every author is stored: withStoredAuthors keeps each tweet.
      user: new DataLoader(async (ids: readonly string[]) => ids.map((id) => ({ id, handle: `u${id}`, createdAt: new Date(0).toISOString() }))),
    },
  } as unknown as RequestContext;

  return {
    ctx,
    live,
    metrics,
    feed,
    timeline,
    celebrities,
    followed,
    flagged,
    removalListeners,
    remove: (n: number, authorId = 'a') => removalListeners.forEach((l) => l({ tweetId: idAt(n), authorId, reason: 'flagged' })),
    hidden,
    onRead: (hook: () => void) => (duringRead = hook),
    pushHome: (n: number) => homeListeners.forEach((l) => l({ kind: 'entry', entry: push(n) })),
    /** A push on the home channel of a tweet by `authorId`. */
    pushBy: (n: number, authorId: string) => homeListeners.forEach((l) => l({ kind: 'entry', entry: push(n, authorId) })),
    resync: () => homeListeners.forEach((l) => l({ kind: 'resync', reason: 'follows-changed' })),
    reconnected: () => homeListeners.forEach((l) => l({ kind: 'resync', reason: 'reconnected' })),
    pushAuthor: (authorId: string, n: number) => authorListeners.get(authorId)?.forEach((l) => l(push(n, authorId))),
  };
}

async function take(stream: AsyncIterator<HomeStreamItem>, count: number): Promise<HomeStreamItem[]> {
  const items: HomeStreamItem[] = [];
  while (items.length < count) {
    const next = await stream.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}
const numbers = (items: HomeStreamItem[]) => items.map((i) => Number(BigInt(i.tweet.id) >> 22n));
const counted = async (c: { get(): Promise<{ values: { value: number }[] }> }) => (await c.get()).values[0]?.value ?? 0;

describe('the live home-timeline stream', () => {
  it('sends the catch-up oldest first, then pushes, once each, although pushes of the same entries arrived during the read', async () => {
    const w = world({ timeline: [1, 2, 3, 4] });
    w.onRead(() => {
      w.pushHome(3); // in the read too: already in the timeline when its push came
      w.pushHome(5); // new: reached the timeline after the read
      w.pushHome(4);
    });
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', at(2));
    expect(numbers(await take(stream, 3))).toEqual([3, 4, 5]);
    expect(await counted(w.metrics.catchUpEntries)).toBe(2);
    w.pushHome(1); // at or before the cursor: never sent
    w.pushHome(6);
    expect(numbers(await take(stream, 1))).toEqual([6]);
    expect(await counted(w.metrics.repeatsSkipped)).toBe(2);
    await stream.return!();
  });

  it('gives an entry arriving after a newer one the newer one’s cursor', async () => {
    const w = world();
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', null);
    w.pushHome(20);
    w.pushHome(10);
    const items = await take(stream, 2);
    expect(numbers(items)).toEqual([20, 10]);
    expect(items.map((i) => decodeCursor(i.cursor))).toEqual([at(20), at(20)]);
    await stream.return!();
  });

  it('refuses a cursor further behind than the limit, and stops listening', async () => {
    const w = world({ timeline: [2, 3, 4, 5], limit: 2 });
    await expect(openHomeStream(w.ctx, w.live, 'viewer', at(1))).rejects.toMatchObject({ code: 'CURSOR_TOO_OLD' });
    expect(w.feed.channelCount()).toBe(0);
  });

  it('on a resync listens to a newly followed celebrity, reads what it missed, and drops an unfollowed one', async () => {
    const w = world({ timeline: [1], celebrities: { star: [], old: [] } });
    w.followed.delete('star');
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', at(1));
    w.pushHome(2);
    expect(numbers(await take(stream, 1))).toEqual([2]);
    // Followed now: its tweet 3 was posted before the channel was listened to; 'old' is unfollowed.
    w.followed.add('star');
    w.followed.delete('old');
    w.celebrities.set('star', [3]);
    w.resync();
    w.pushAuthor('old', 4); // queued behind the resync: dropped, 'old' is unfollowed by then
    expect(numbers(await take(stream, 1))).toEqual([3]);
    w.pushAuthor('star', 6);
    w.pushAuthor('old', 7);
    w.pushHome(8);
    expect(numbers(await take(stream, 2))).toEqual([6, 8]);
    await stream.return!();
    expect(w.feed.channelCount()).toBe(0);
  });

  it('never sends entries by hidden authors, and hides a newly muted one after the resync its mute sends', async () => {
    const w = world({ timeline: [2, 3, 4], authorOf: (n) => (n === 3 ? 'muted' : 'a') });
    w.hidden.add('muted');
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', at(1));
    expect(numbers(await take(stream, 2))).toEqual([2, 4]);
    w.pushBy(5, 'muted');
    w.pushBy(6, 'b');
    expect(numbers(await take(stream, 1))).toEqual([6]);
    w.hidden.add('b');
    w.resync();
    w.pushBy(7, 'b');
    w.pushBy(8, 'a');
    expect(numbers(await take(stream, 1))).toEqual([8]);
    await stream.return!();
  });

  it('waits for a tweet the store does not have yet instead of leaving a gap', async () => {
    let reads = 0;
    // Tweet 3 is readable from the third read on: the tweet-store group is behind fan-out.
    const w = world({ timeline: [2, 3], stored: (id) => id !== idAt(3) || ++reads > 2 });
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', at(1));
    expect(numbers(await take(stream, 2))).toEqual([2, 3]);
    expect(await counted(w.metrics.entriesLeftOut)).toBe(0);
    await stream.return!();
  });

  it('ends at once when returned while waiting, and stops listening', async () => {
    const w = world();
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', null);
    const waiting = stream.next();
    await stream.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(w.feed.channelCount()).toBe(0);
    expect(await counted(w.metrics.activeSubscriptions)).toBe(0);
  });

  it('does not send a push whose stored verdict flags it, but to its author', async () => {
    const w = world();
    w.flagged.add(2);
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', null);
    w.pushHome(1);
    w.pushHome(2);
    w.pushHome(3);
    expect(numbers(await take(stream, 2))).toEqual([1, 3]);
    await stream.return!();
    // Its author ('a') is sent it.
    const authorStream = await openHomeStream(w.ctx, w.live, 'a', null);
    w.pushHome(2);
    expect(numbers(await take(authorStream, 1))).toEqual([2]);
    await authorStream.return!();
  });

  it('with removals, takes back a sent entry that is flagged afterwards, once, and never for its author', async () => {
    const w = world();
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', null, { removals: true });
    w.pushHome(1);
    w.pushHome(2);
    const sent = await take(stream as AsyncIterator<HomeStreamItem>, 2);
    expect(numbers(sent)).toEqual([1, 2]);
    w.remove(2);
    w.remove(2); // a redelivered verdict: said once
    w.remove(9); // never sent: nothing to say
    w.remove(1, 'viewer'); // the viewer's own tweet stays theirs to see
    w.pushHome(3);
    const next = [(await stream.next()).value, (await stream.next()).value];
    expect(next[0]).toEqual({ removed: { tweetId: idAt(2), reason: 'flagged' } });
    expect(numbers([next[1] as HomeStreamItem])).toEqual([3]);
    // Its push again (a redelivery) is not sent: it was taken back.
    w.pushHome(2);
    w.pushHome(4);
    expect(numbers([(await stream.next()).value as HomeStreamItem])).toEqual([4]);
    await stream.return!();
    expect(w.removalListeners.size).toBe(0);
  });

  it('after its pub/sub connection came back, takes back what was flagged meanwhile (the removal was lost with it)', async () => {
    const w = world();
    const stream = await openHomeStream(w.ctx, w.live, 'viewer', null, { removals: true });
    w.pushHome(1);
    w.pushHome(2);
    expect(numbers(await take(stream as AsyncIterator<HomeStreamItem>, 2))).toEqual([1, 2]);
    w.flagged.add(2); // its removal was published while the connection was down
    w.reconnected();
    w.pushHome(3);
    expect((await stream.next()).value).toEqual({ removed: { tweetId: idAt(2), reason: 'flagged' } });
    expect(numbers([(await stream.next()).value as HomeStreamItem])).toEqual([3]);
    w.remove(2); // heard late after all: said once only
    w.pushHome(4);
    expect(numbers([(await stream.next()).value as HomeStreamItem])).toEqual([4]);
    await stream.return!();
  });
});
