import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Measures post → websocket push latency over 100 tweets and prints p50/p99. Evidence, not a
 * timed assertion: it asserts only that every tweet arrived exactly once.
 */
describe('post → push latency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('pushes 100 tweets and reports p50/p99', async () => {
    const reader = await signUp(t, 'reader');
    const author = await signUp(t, 'author');
    await follow(t, reader, author.handle);
    const live = subscribe(t.url, 'subscription { homeTimeline { node { id } } }', { token: reader.token });
    await subscriptionsActive(t.app);

    const started = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const before = performance.now();
      started.set(await postTweet(t, author, `latency ${i}`), before);
    }
    await eventually(async () => live.results.length, (n) => n >= 100, { what: '100 pushes', timeoutMs: 60_000 });
    const arrivals = new Map(live.results.map((r, i) => [(r.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id, live.receivedAt[i]!]));

    expect(live.results).toHaveLength(100);
    expect([...arrivals.keys()].sort()).toEqual([...started.keys()].sort());
    const latencies = [...started].map(([id, at]) => arrivals.get(id)! - at).sort((a, b) => a - b);
    console.log(`post → push latency over 100 tweets: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    await live.dispose();
  });
});
