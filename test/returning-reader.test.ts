import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { consumed, processedByGroup } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn, type TimelinePage } from './harness/users.js';

const DAY = 24 * 60 * 60 * 1000;
const FOLLOWEES = 50;

/** Every page from `after` on, `first` at a time: ids in order, and each page's `partial`. */
async function pagesFrom(t: TestApp, reader: SignedIn, first: number, after?: string) {
  const ids: string[] = [];
  const partial: boolean[] = [];
  for (;;) {
    const page: TimelinePage = await homeTimeline(t, reader, first, after);
    ids.push(...page.edges.map((e) => e.node.id));
    partial.push(page.pageInfo.partial);
    if (!page.pageInfo.hasNextPage) return { ids, partial };
    after = page.pageInfo.endCursor!;
  }
}

/**
 * Timelines only for active users: a reader away longer than TIMELINE_ACTIVE_DAYS is skipped by
 * fan-out, and on return gets every recent tweet in order at once (merged at read time, partial)
 * while the timeline is rebuilt, then from the rebuilt timeline, with cursors valid across both.
 * The service's clock is moved forward; Kafka, Redis and the consumers are real.
 */
describe('a reader back after the active window', () => {
  let t: TestApp;
  let offset = 0;
  beforeAll(async () => {
    // The default moderation policy runs: ordinary short tweets such as "round 1 from followee 7" are
    // not hidden (the spam classifier alone only labels; issue 17), so every tweet comes back.
    t = await startTestApp({ env: { TIMELINE_ACTIVE_DAYS: '7' }, internal: { clock: () => Date.now() + offset } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('gets every recent tweet of 50 followees in order, partial on the first read and not once rebuilt', async () => {
    const reader = await signUp(t, 'reader');
    const followees: SignedIn[] = [];
    for (let i = 0; i < FOLLOWEES; i++) followees.push(await signUp(t, 'followee'));
    for (const f of followees) await follow(t, reader, f.handle);
    await consumed(t, { 'timeline-merge': FOLLOWEES });
    expect((await homeTimeline(t, reader)).pageInfo.partial).toBe(false);

    // Eight days pass without the reader; meanwhile every followee posts twice.
    offset = 8 * DAY;
    const before = await processedByGroup(t);
    const posted: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const [i, f] of followees.entries()) posted.push(await postTweet(t, f, `round ${round} from followee ${i}`));
    }
    await consumed(t, { fanout: (before.fanout ?? 0) + posted.length, 'tweet-store': (before['tweet-store'] ?? 0) + posted.length });
    // Fan-out skipped the inactive reader.
    const scores = await Promise.all(posted.map((id) => t.app.redis.zscore(keys.homeTimeline(reader.id), id)));
    expect(scores.every((s) => s === null)).toBe(true);

    const newestFirst = [...posted].reverse();
    const first = await homeTimeline(t, reader, 20);
    expect(first.pageInfo.partial).toBe(true);
    expect(first.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(0, 20));

    // Rebuilt shortly after: the same timeline, now from the reader's own (rebuilt) key.
    await eventually(() => homeTimeline(t, reader, 20), (page) => !page.pageInfo.partial, { what: 'the rebuild to finish' });
    const whole = await pagesFrom(t, reader, 20);
    expect(whole.ids).toEqual(newestFirst);
    expect(whole.partial.every((p) => !p)).toBe(true);
    expect(await t.app.redis.zcard(keys.homeTimeline(reader.id))).toBe(posted.length);
    // A cursor from the partial page goes on where it stopped.
    expect((await pagesFrom(t, reader, 20, first.pageInfo.endCursor!)).ids).toEqual(newestFirst.slice(20));

    // Active again: the next tweet is fanned out to the reader.
    const next = await postTweet(t, followees[0]!, 'welcome back');
    await eventually(() => homeTimeline(t, reader, 1), (page) => page.edges[0]?.node.id === next, { what: 'a new tweet fanned out to the returned reader' });
  });
});
