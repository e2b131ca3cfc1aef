import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';

/** Commands the Redis server executed (INFO commandstats) and client socket reads (one per round trip received). */
async function commandsExecuted(redis: Redis): Promise<{ total: number; byCommand: Record<string, number>; reads: number }> {
  const info = await redis.info('stats', 'commandstats');
  const byCommand: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) byCommand[match[1]!] = Number(match[2]);
  const reads = Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1]);
  return { total: Object.values(byCommand).reduce((a, b) => a + b, 0), byCommand, reads };
}

/** Waits until nothing but these INFO calls reaches the server between two readings. */
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

const QUERY = `query($first: Int) { notifications(first: $first) { edges { cursor node {
  kind actorCount read createdAt actors(first: 3) { handle } tweet { id text likeCount viewerHasLiked author { handle } } } } } }`;

describe('notifications read cost', () => {
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

  /** Round trips and commands of one notifications page, once every consumer is done. */
  async function measure(reader: SignedIn, first: number) {
    await consumersIdle(probe);
    const before = await commandsExecuted(probe);
    const res = await t.gql<{ notifications: { edges: { node: { actors: unknown[]; tweet: unknown } }[] } }>(QUERY, { first }, reader.token);
    const after = await commandsExecuted(probe);
    expect(res.errors).toBeUndefined();
    const delta = Object.fromEntries(Object.entries(after.byCommand).map(([k, v]) => [k, v - (before.byCommand[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
    return { edges: res.data!.notifications.edges, commands: after.total - before.total - 1, roundTrips: after.reads - before.reads - 1, delta };
  }

  it('reads a page of grouped notifications, actors, tweets and their counts included, in a constant number of round trips', async () => {
    const reader = await signUp(t, 'reader');
    const fans: SignedIn[] = [];
    for (let i = 0; i < 4; i++) fans.push(await signUp(t, 'fan'));
    for (const fan of fans) await follow(t, fan, reader.handle);
    const tweets: string[] = [];
    for (let i = 0; i < 8; i++) tweets.push(await postTweet(t, reader, `tweet ${i}`));
    await consumed(t, { 'tweet-store': 8 });
    for (const id of tweets) {
      for (const fan of fans) expect((await t.gql('mutation($id: ID!) { likeTweet(id: $id) { id } }', { id }, fan.token)).errors).toBeUndefined();
    }
    await consumed(t, { 'notifications-likes': 32, 'notifications-follows': 4, taste: 32 });
    await eventually(() => t.gql<{ unreadNotificationCount: number }>('{ unreadNotificationCount }', {}, reader.token), (r) => r.data?.unreadNotificationCount === 9, {
      what: '8 like groups and a follow group',
    });

    const small = await measure(reader, 3);
    const large = await measure(reader, 9);
    expect(small.edges).toHaveLength(3);
    expect(large.edges).toHaveLength(9);
    for (const { node } of large.edges) expect(node.actors).toHaveLength(3);
    // The viewer check, then the page script (groups, counts, read marker), one MGET of the page's
    // tweets (like counts in it), then together the actors' pipeline (one ZRANGE per group) and the
    // ZMSCORE of viewerHasLiked, then one MGET of the actors and authors: at most 6 for 3 groups or
    // for 9 (the socket reads Redis counts may join two of them when they arrive together).
    // Per group, only commands inside those batches grow: the actors' ZRANGE, the script's HGET
    // (commandstats counts the commands a script runs too).
    for (const m of [small, large]) expect(m.roundTrips, JSON.stringify(m.delta)).toBeLessThanOrEqual(6);
    const d = large.delta;
    expect([d.evalsha, d.mget, d.zmscore, d.zrange, d.hget], JSON.stringify(d)).toEqual([1, 2, 1, 1 + 9, 9]);
  });
});
