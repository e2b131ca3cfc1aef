import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { masterNodes, mgetAcrossSlots, multiAcrossSlots, pipelineAcrossSlots, slotOf } from '../src/adapters/redis/slots.js';
import { startLocalRedisCluster, type LocalRedisCluster } from '../src/local/redis-cluster.js';
import { createLogger } from '../src/observability/logger.js';
import { eventually } from './harness/poll.js';
import { forYou, likeTweet, notInterested, recordClick, tagsOf, taste, unlikeTweet } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { homeIds, relate } from './harness/social.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '..');
const HOME = 'subscription { homeTimeline { node { id text } } }';

/** Keys each node holds, by port. */
async function keysPerNode(cluster: LocalRedisCluster): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const server of cluster.servers) {
    const node = new Redis(server.port, '127.0.0.1');
    try {
      const found: string[] = [];
      for await (const batch of node.scanStream({ count: 1000 }) as AsyncIterable<string[]>) found.push(...batch);
      out.set(server.port, found);
    } finally {
      node.disconnect();
    }
  }
  return out;
}

describe('on a three-node Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let dataDir: string;
  let t: TestApp;
  let client: Cluster;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(ROOT_DIR, '.local', 'test-redis-cluster-'));
    cluster = await startLocalRedisCluster({ dataDir, logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-cluster' }) });
    t = await startTestApp({ redisCluster: cluster });
    client = new Cluster(cluster.nodes, { enableAutoPipelining: true });
  });
  afterAll(async () => {
    client?.disconnect();
    await t?.stop();
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the backbone: sign up, follow, post, page, live push, tags, a click teaching taste and forYou, delete', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, bob, alice.handle);
    const counts = await t.gql<{ user: { followerCount: number }; me: { followingCount: number } }>(
      'query($h: String!) { user(handle: $h) { followerCount } me { followingCount } }',
      { h: alice.handle },
      bob.token,
    );
    expect(counts.data).toEqual({ user: { followerCount: 1 }, me: { followingCount: 1 } });

    const ids: string[] = [];
    const live = subscribe(t.url, HOME, { token: bob.token });
    try {
      await subscriptionsActive(t.app);
      const texts = ['The basketball playoffs tonight were unreal', 'What a touchdown in the fourth quarter', 'Hockey overtime winner, the arena went wild'];
      for (const text of texts) ids.push(await postTweet(t, alice, text));

      const page1 = await eventually(() => homeTimeline(t, bob, 2), (p) => p.edges.length === 2 && p.edges[0]!.node.id === ids[2], {
        what: "bob's first page",
      });
      expect(page1.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
      expect(page1.edges[0]!.node.author.handle).toBe(alice.handle);
      const page2 = await homeTimeline(t, bob, 2, page1.pageInfo.endCursor!);
      expect(page2.edges.map((e) => e.node.id)).toEqual([ids[0]]);
      expect(page2.pageInfo.hasNextPage).toBe(false);

      // Pub/sub crosses the cluster: each post reaches bob's socket once, in order.
      await eventually(async () => live.results.length, (n) => n >= 3, { what: '3 live pushes' });
      expect(live.results.map((r) => (r.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id)).toEqual(ids);

      // The offline tagger tags them; a click teaches bob's taste, and forYou ranks with it.
      for (const id of ids) await eventually(() => tagsOf(t, id), (tags) => tags.includes('sports_fans'), { what: `tweet ${id} tagged` });
      await recordClick(t, bob, ids[0]!);
      const learned = await eventually(() => taste(t, bob), (w) => w.some((x) => x.tag === 'sports_fans'), { what: 'taste learned' });
      expect(learned[0]!.tag).toMatch(/^sports_(fans|enthusiasts)$/);
      // On a cluster the popular bump is a second script, run after the taste script (another slot).
      await eventually(() => client.zscore(keys.popular(), ids[0]!), (score) => score !== null, { what: 'popular bump' });
      const ranked = await forYou(t, bob, 10);
      expect(ranked.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([ids[1], ids[2]]));
      expect(ranked.edges.map((e) => e.node.id)).not.toContain(ids[0]); // clicked: excluded
      expect(ranked.edges[0]!.reasons).toContain('you clicked 1 tweet about sports_fans');
      // Likes on a cluster: the user's edge and the tweet's count are in different slots, written in order.
      expect(await likeTweet(t, bob, ids[2]!)).toMatchObject({ likeCount: 1, viewerHasLiked: true });
      expect(await likeTweet(t, bob, ids[2]!)).toMatchObject({ likeCount: 1, viewerHasLiked: true });
      expect(await unlikeTweet(t, bob, ids[2]!)).toMatchObject({ likeCount: 0, viewerHasLiked: false });
      await notInterested(t, bob, ids[2]!);
      expect((await forYou(t, bob, 10)).edges.map((e) => e.node.id)).not.toContain(ids[2]);

      // Delete: gone from bob's timeline and from the tweet query; a tombstone beside it.
      const deleted = await t.gql<{ deleteTweet: boolean }>('mutation($id: ID!) { deleteTweet(id: $id) }', { id: ids[1] }, alice.token);
      expect(deleted.data?.deleteTweet).toBe(true);
      const after = await eventually(() => homeTimeline(t, bob), (p) => p.edges.length === 2, { what: 'delete to reach bob' });
      expect(after.edges.map((e) => e.node.id)).toEqual([ids[2], ids[0]]);
      expect((await t.gql<{ tweet: unknown }>('query($id: ID!) { tweet(id: $id) { id } }', { id: ids[1] })).data?.tweet).toBeNull();
      expect(await client.exists(keys.tweetTombstone(ids[1]!))).toBe(1);
    } finally {
      await live.dispose();
    }

    // Unfollow writes two users' sets (two slots) and still changes both counts.
    const res = await t.gql('mutation($h: String!) { unfollow(handle: $h) { followerCount } }', { h: alice.handle }, bob.token);
    expect(res.data).toEqual({ unfollow: { followerCount: 0 } });
    expect(await client.zcard(keys.following(bob.id))).toBe(0);

    // The data really is spread: keys on at least two nodes, a tweet's family on one.
    const perNode = await keysPerNode(cluster);
    const nodesWithKeys = [...perNode.values()].filter((k) => k.length > 0).length;
    expect(nodesWithKeys, JSON.stringify(Object.fromEntries(perNode))).toBeGreaterThanOrEqual(2);
    const family = [keys.tweet(ids[0]!), keys.tweetTags(ids[0]!), keys.tweetModeration(ids[0]!)];
    const holders = [...perNode.values()].map((held) => family.filter((key) => held.includes(key)).length).filter((n) => n > 0);
    expect(holders).toEqual([3]);
  });

  it('skips a muter at fan-out and hides the muted author at read, across slots', async () => {
    const author = await signUp(t, 'author');
    const muter = await signUp(t, 'muter');
    const other = await signUp(t, 'other');
    await follow(t, muter, author.handle);
    await follow(t, other, author.handle);
    const before = await postTweet(t, author, 'heard by both');
    await eventually(() => homeIds(t, muter), (ids) => ids.includes(before), { what: 'the first tweet at the muter' });
    await relate(t, muter, 'mute', author.handle);
    expect(await homeIds(t, muter)).toEqual([]);
    const after = await postTweet(t, author, 'heard by one');
    await eventually(() => homeIds(t, other), (ids) => ids.includes(after), { what: 'the second tweet at the other follower' });
    expect(await client.zscore(keys.homeTimeline(muter.id), after)).toBeNull();
    expect(await client.zscore(keys.homeTimeline(muter.id), before)).not.toBeNull();
  });

  it('fans a repost out across slots: at the repost time where absent, an original left in place, muters of the author skipped; named at read', async () => {
    const author = await signUp(t, 'rauthor');
    const reposter = await signUp(t, 'rposter');
    const reader = await signUp(t, 'rreader');
    const both = await signUp(t, 'rboth');
    const muter = await signUp(t, 'rmuter');
    for (const u of [reader, both, muter]) await follow(t, u, reposter.handle);
    await follow(t, both, author.handle);
    await relate(t, muter, 'mute', author.handle);
    const tweet = await postTweet(t, author, 'worth a repost');
    await eventually(() => homeIds(t, both), (ids) => ids.includes(tweet), { what: 'the original at the follower of both' });
    const original = await client.zscore(keys.homeTimeline(both.id), tweet);
    const res = await t.gql<{ repost: { repostCount: number } }>('mutation($id: ID!) { repost(id: $id) { repostCount } }', { id: tweet }, reposter.token);
    expect(res.data?.repost.repostCount, JSON.stringify(res.errors)).toBe(1);
    const page = await eventually(
      () => t.gql<{ homeTimeline: { edges: { node: { id: string; repostCount: number }; repostedBy: { handle: string } | null }[] } }>(
        '{ homeTimeline { edges { node { id repostCount } repostedBy { handle } } } }',
        {},
        reader.token,
      ),
      (r) => (r.data?.homeTimeline.edges.length ?? 0) > 0,
      { what: 'the repost at the reader' },
    );
    expect(page.data?.homeTimeline.edges.map((e) => [e.node.id, e.repostedBy?.handle, e.node.repostCount])).toEqual([[tweet, reposter.handle, 1]]);
    expect(Number(await client.zscore(keys.homeTimeline(reader.id), tweet))).toBeGreaterThan(Number(original));
    expect(await client.zscore(keys.homeTimeline(both.id), tweet)).toBe(original);
    expect(await client.zscore(keys.homeTimeline(muter.id), tweet)).toBeNull();
  });

  describe('cross-slot helpers', () => {
    it('a plain MGET across slots fails, so batched reads are split per slot and reassembled in order', async () => {
      const names = Array.from({ length: 50 }, (_, i) => `probe:mget:${i}`);
      expect(new Set(names.map(slotOf)).size).toBeGreaterThan(1);
      await Promise.all(names.map((name, i) => (i % 3 === 0 ? Promise.resolve() : client.set(name, String(i)))));
      await expect(client.mget(names)).rejects.toThrow(/CROSSSLOT|same slot/);
      const values = await mgetAcrossSlots(client, names);
      expect(values).toEqual(names.map((_, i) => (i % 3 === 0 ? null : String(i))));
    });

    it('pipelines per slot, returning each item’s replies in order and throwing command errors', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `probe:pipe:${i}`);
      const replies = await pipelineAcrossSlots(client, names, (p, k) => p.incrby(k, 2).incrby(k, 3));
      expect(replies).toEqual(names.map(() => [2, 5]));
      await client.set('probe:pipe:text', 'x');
      await expect(pipelineAcrossSlots(client, ['probe:pipe:text'], (p, k) => p.incr(k))).rejects.toThrow(/not an integer/);
    });

    it('runs MULTI per slot in step order, and knows every master', async () => {
      const [a, b] = ['probe:multi:a', 'probe:multi:b'];
      expect(slotOf(a)).not.toBe(slotOf(b));
      const replies = await multiAcrossSlots(client, [
        { key: a, queue: (m) => m.set(a, '1').incr(a) },
        { key: b, queue: (m) => m.set(b, '5').incr(b) },
      ]);
      expect(replies).toEqual([['OK', 2], ['OK', 6]]);
      await eventually(async () => masterNodes(client).length, (n) => n === 3, { what: 'three masters known' });
    });
  });
});

