import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { commandsExecuted, consumersIdle } from './harness/redis-commands.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';

/** Requests the server read from its clients (a pipeline is one): round trips, from INFO stats. */
async function reads(redis: Redis): Promise<number> {
  return Number(/^total_reads_processed:(\d+)/m.exec(await redis.info('stats'))?.[1]);
}

const SOCIAL_PAGE = `query($first: Int) { homeTimeline(first: $first) { edges { node { id replyCount replyTo { id author { handle } } author { handle } } } } }`;

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
    // PEXPIREAT at most every few minutes, not here), with the SMEMBERS of followed celebrities and
    // the ZUNION of who is hidden from the reader (mutes and blocks) in the same round trip, one
    // MGET for the tweets (their like counts in it), then one MGET for the authors with one ZMSCORE
    // for viewerHasLiked beside it: the authors are read before the edges are returned (a tweet whose
    // author is not stored is left out of the page, not failing it), and the resolver starts the
    // likes' load in the same tick because the query asks for them.
    expect(used, JSON.stringify(delta)).toBeLessThanOrEqual(8);
    expect(delta.zunion, JSON.stringify(delta)).toBe(1);
    expect(delta.zmscore, JSON.stringify(delta)).toBe(1);
    expect(roundTrips, JSON.stringify(delta)).toBeLessThanOrEqual(3);
  });

  it('batches counts and flags: the same round trips for a page of 5 or 20 with reply counts and replied-to tweets', async () => {
    const reader = await signUp(t, 'sreader');
    const authors: SignedIn[] = [];
    for (let i = 0; i < 4; i++) authors.push(await signUp(t, 'sauthor'));
    for (const a of authors) await follow(t, reader, a.handle);
    const roots: string[] = [];
    for (let i = 0; i < 10; i++) roots.push(await postTweet(t, authors[i % 4]!, `Cooking a curry recipe, batch ${i}`));
    await eventually(() => homeTimeline(t, reader, 20), (p) => p.edges.length === 10, { what: 'the roots in the timeline' });
    // Replies among followed authors: they reach the reader (who follows both sides). Texts the
    // offline moderator passes: a flagged tweet would be left out of the page.
    for (let i = 0; i < 10; i++) {
      const res = await t.gql<{ postTweet: { id: string } }>('mutation($t: String!, $r: ID) { postTweet(text: $t, replyTo: $r) { id } }', { t: `Repotting pothos number ${i} in the garden today`, r: roots[i] }, authors[(i + 1) % 4]!.token);
      expect(res.errors).toBeUndefined();
    }
    await eventually(() => homeTimeline(t, reader, 20), (p) => p.edges.length === 20, { what: "the replies in the timeline" });
    await consumersIdle(probe);
    const cost = async (first: number) => {
      const before = await reads(probe);
      const res = await t.gql<{ homeTimeline: { edges: { node: { replyCount: number } }[] } }>(SOCIAL_PAGE, { first }, reader.token);
      const after = await reads(probe);
      expect(res.data?.homeTimeline.edges).toHaveLength(first);
      return after - before - 1;
    };
    await cost(5);
    const small = await cost(5);
    const large = await cost(20);
    // 1 the page (script, followed celebrities, hidden set), 2 the tweets' MGET, 3 the authors' MGET
    // with whether the reader follows the authors replied to (one ZMSCORE), 4 the replied-to tweets'
    // MGET (none when the page holds them already) with the reply counts' ZCARDs, 5 the replied-to
    // authors' MGET (none when the page's authors are they, as here: the user loader has them).
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(5);
  });

  it('batches reposts: the same round trips for a page of 5 or 20 with repostCount and repostedBy', async () => {
    const reader = await signUp(t, 'rreader');
    const stranger = await signUp(t, 'rstrange');
    const followed = [await signUp(t, 'rauthor'), await signUp(t, 'rauthor')];
    const reposters: SignedIn[] = [];
    for (let i = 0; i < 4; i++) reposters.push(await signUp(t, 'rposter'));
    for (const u of [...followed, ...reposters]) await follow(t, reader, u.handle);
    // Ten originals from followed authors, then ten tweets by someone the reader does not follow,
    // each reposted by one or two of the reader's followees: the newest entries are the reposts.
    for (let i = 0; i < 10; i++) await postTweet(t, followed[i % 2]!, `Baking bread at home, loaf ${i}`);
    const strangers: string[] = [];
    for (let i = 0; i < 10; i++) strangers.push(await postTweet(t, stranger, `Hiking the ridge trail, day ${i}`));
    await eventually(() => homeTimeline(t, reader, 20), (p) => p.edges.length === 10, { what: 'the originals in the timeline' });
    await eventually(
      () => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: strangers[9]! }),
      (r) => r.data?.tweet?.id === strangers[9],
      { what: "the stranger's tweets stored" },
    );
    for (let i = 0; i < 10; i++) {
      for (const who of i % 2 === 0 ? [reposters[i % 4]!, reposters[(i + 1) % 4]!] : [reposters[i % 4]!]) {
        const res = await t.gql('mutation($id: ID!) { repost(id: $id) { id } }', { id: strangers[i] }, who.token);
        expect(res.errors).toBeUndefined();
      }
    }
    await eventually(() => homeTimeline(t, reader, 20), (p) => p.edges.length === 20, { what: 'the reposts in the timeline' });
    await consumersIdle(probe);
    const REPOST_PAGE = 'query($first: Int) { homeTimeline(first: $first) { edges { repostedBy { handle } node { id repostCount author { handle } } } } }';
    type RepostPage = { homeTimeline: { edges: { repostedBy: { handle: string } | null; node: { id: string; repostCount: number } }[] } };
    const cost = async (first: number) => {
      const before = await reads(probe);
      const res = await t.gql<RepostPage>(REPOST_PAGE, { first }, reader.token);
      const after = await reads(probe);
      const edges = res.data?.homeTimeline.edges ?? [];
      expect(edges, JSON.stringify(res.errors)).toHaveLength(first);
      // The newest five are reposts, each naming a followee and counted.
      for (const e of edges.slice(0, 5)) {
        expect(e.repostedBy?.handle).toBeDefined();
        expect(e.node.repostCount).toBeGreaterThan(0);
      }
      return { trips: after - before - 1, edges };
    };
    await cost(5);
    const small = await cost(5);
    const large = await cost(20);
    expect(large.edges.filter((e) => e.repostedBy !== null)).toHaveLength(10);
    // Reposted twice: named once, by the first of the two.
    const twice = large.edges.find((e) => e.node.id === strangers[8]);
    expect([twice?.repostedBy?.handle, twice?.node.repostCount]).toEqual([reposters[0]!.handle, 2]);
    // 1 the page, 2 the tweets' MGET with the ZRANGEs of the reposted entries' earliest reposters,
    // 3 the authors' MGET with one ZMSCORE of authors and reposters on the reader's follows, 4 the
    // repostedBy users' MGET with the repost counts' ZCARDs.
    expect(large.trips).toBe(small.trips);
    expect(large.trips).toBeLessThanOrEqual(4);
  });
});
