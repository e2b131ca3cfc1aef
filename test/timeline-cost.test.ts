import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';

/**
 * Total commands the Redis server has executed (INFO commandstats) and the reads of client sockets
 * it did (one per request batch received: a pipeline, or commands sent together, is one round trip).
 */
async function commandsExecuted(redis: Redis): Promise<{ total: number; byCommand: Record<string, number>; reads: number }> {
  const info = await redis.info('stats', 'commandstats');
  const byCommand: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) byCommand[match[1]!] = Number(match[2]);
  const reads = Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1]);
  return { total: Object.values(byCommand).reduce((a, b) => a + b, 0), byCommand, reads };
}

/**
 * Waits until nothing but these INFO calls reaches the server between two readings: the tagger,
 * moderator and live publisher have finished with the tweets too, not only the fan-out.
 */
async function consumersIdle(redis: Redis): Promise<void> {
  let last = await commandsExecuted(redis);
  await eventually(
    async () => {
      const now = await commandsExecuted(redis);
      const idle = now.total - last.total === 1;
      last = now;
      return idle;
    },
    (idle) => idle,
    { intervalMs: 250, what: 'consumers idle' },
  );
}

describe('home timeline read cost', () => {
  let t: TestApp;
  let probe: Redis;
  beforeAll(async () => {
    t = await startTestApp();
    probe = new Redis(t.redis.url);
  });
  afterAll(async () => {
    probe?.disconnect();
    await t?.stop();
  });

  it('loads a 20-tweet page from 5 authors, likes included, in a constant number of Redis commands and round trips', async () => {
    const reader = await signUp(t, 'reader');
    const authors: SignedIn[] = [];
    for (let i = 0; i < 5; i++) authors.push(await signUp(t, 'author'));
    for (const a of authors) await follow(t, reader, a.handle);
    for (let i = 0; i < 20; i++) await postTweet(t, authors[i % 5]!, `tweet ${i}`);
    await eventually(() => homeTimeline(t, reader), (p) => p.edges.length === 20, { what: '20 tweets in the timeline' });
    await consumed(t, { 'tweet-store': 20, fanout: 20, tagger: 20, moderator: 20, 'timeline-merge': 5 });
    const liked = (await homeTimeline(t, reader, 20)).edges.slice(0, 3).map((e) => e.node.id);
    for (const id of liked) {
      const res = await t.gql('mutation($id: ID!) { likeTweet(id: $id) { id } }', { id }, reader.token);
      expect(res.errors).toBeUndefined();
    }
    await consumed(t, { taste: 3 });

    // Every group has handled every message, so every command between the two readings is the page read
    // (plus the INFO call that takes the second reading).
    await consumersIdle(probe);
    const query = '{ homeTimeline(first: 20) { edges { node { id likeCount viewerHasLiked author { handle } } } } }';
    const before = await commandsExecuted(probe);
    const res = await t.gql<{ homeTimeline: { edges: { node: { id: string; likeCount: number; viewerHasLiked: boolean; author: { handle: string } } }[] } }>(
      query,
      {},
      reader.token,
    );
    const after = await commandsExecuted(probe);

    const page = res.data!.homeTimeline;
    expect(page.edges).toHaveLength(20);
    expect(new Set(page.edges.map((e) => e.node.author.handle)).size).toBe(5);
    for (const { node } of page.edges) expect([node.likeCount, node.viewerHasLiked]).toEqual(liked.includes(node.id) ? [1, true] : [0, false]);
    const used = after.total - before.total - 1;
    const roundTrips = after.reads - before.reads - 1;
    const delta = Object.fromEntries(
      Object.entries(after.byCommand).map(([k, v]) => [k, v - (before.byCommand[k] ?? 0)]).filter(([, v]) => Number(v) > 0),
    );
    // The page script (EVALSHA: its GET of the reader's last-seen record and its ZRANGE; a SET and
    // PEXPIREAT at most every few minutes, not here), with the SMEMBERS of followed celebrities in
    // the same round trip, one MGET for the tweets (their like counts in it), then one MGET for the
    // authors with one ZMSCORE for viewerHasLiked beside it: the authors are read before the edges
    // are returned (a tweet whose author is not stored is left out of the page, not failing it), and
    // the resolver starts the likes' load in the same tick because the query asks for them.
    expect(used, JSON.stringify(delta)).toBeLessThanOrEqual(7);
    expect(delta.zmscore, JSON.stringify(delta)).toBe(1);
    expect(roundTrips, JSON.stringify(delta)).toBeLessThanOrEqual(3);
  });
});
