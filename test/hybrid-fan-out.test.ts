import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflakeTime } from '../src/domain/snowflake.js';
import { keys } from '../src/adapters/redis/keys.js';
import { consumed, processedByGroup } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp, type SignedIn } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const HOME = 'subscription { homeTimeline { node { id text } } }';

async function processed(t: TestApp, group: string): Promise<number> {
  return (await processedByGroup(t))[group] ?? 0;
}

/** Every page of the reader's home timeline, `first` at a time, as tweet texts. */
async function allPages(t: TestApp, reader: SignedIn, first: number): Promise<string[]> {
  const texts: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await homeTimeline(t, reader, first, after);
    texts.push(...page.edges.map((e) => e.node.text));
    if (!page.pageInfo.hasNextPage) return texts;
    after = page.pageInfo.endCursor!;
  }
}

describe('hybrid fan-out: celebrities are merged at read time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FANOUT_CELEBRITY_THRESHOLD: '3', FANOUT_SPLIT_ABOVE: '1000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stops fanning out once an author crosses the threshold, with the same order and cursors for readers', async () => {
    const star = await signUp(t, 'star');
    const friend = await signUp(t, 'friend');
    const fans = [await signUp(t, 'fan'), await signUp(t, 'fan')];
    for (const fan of fans) {
      await follow(t, fan, star.handle);
      await follow(t, fan, friend.handle);
    }
    // Two followers: still fanned out.
    const early = await postTweet(t, star, 'star early');
    await eventually(() => homeTimeline(t, fans[1]!), (p) => p.edges.some((e) => e.node.id === early), { what: 'early tweet fanned out' });

    const late = await signUp(t, 'fan');
    await follow(t, late, star.handle);
    await follow(t, late, friend.handle);
    fans.push(late);
    // Interleave so every page must merge both sources.
    await postTweet(t, friend, 'friend 1');
    const promoting = await postTweet(t, star, 'star 1');
    await postTweet(t, friend, 'friend 2');
    const after = await postTweet(t, star, 'star 2');
    await postTweet(t, friend, 'friend 3');

    const expected = ['friend 3', 'star 2', 'friend 2', 'star 1', 'friend 1', 'star early'];
    for (const fan of fans) {
      await eventually(() => allPages(t, fan, 2), (texts) => texts.length === expected.length, { what: `${fan.handle}'s timeline` });
      expect(await allPages(t, fan, 2)).toEqual(expected);
      expect(await allPages(t, fan, 1)).toEqual(expected);
      expect(await allPages(t, fan, 20)).toEqual(expected);
    }
    // Really not fanned out: the star's new tweets are in no follower's home timeline key.
    for (const id of [promoting, after]) {
      for (const fan of fans) expect(await t.app.redis.zscore(keys.homeTimeline(fan.id), id)).toBeNull();
    }
    expect(await t.app.redis.get(keys.celebrity(star.id))).not.toBeNull();
    // The author still sees their own tweets.
    expect((await homeTimeline(t, star)).edges.map((e) => e.node.text)).toEqual(['star 2', 'star 1', 'star early']);
  });

  it('a new follower of a celebrity sees their tweets; an unfollow hides them at once; a delete removes one', async () => {
    const star = await signUp(t, 'star');
    const fans = [await signUp(t, 'fan'), await signUp(t, 'fan'), await signUp(t, 'fan')];
    for (const fan of fans) await follow(t, fan, star.handle);
    const first = await postTweet(t, star, 'first as a star');
    await eventually(async () => t.app.redis.get(keys.celebrity(star.id)), (v) => v !== null, { what: 'promotion' });

    const newcomer = await signUp(t, 'newbie');
    await follow(t, newcomer, star.handle);
    await eventually(() => homeTimeline(t, newcomer), (p) => p.edges.some((e) => e.node.id === first), { what: 'newcomer sees the star' });
    expect(await t.app.redis.sismember(keys.followedCelebrities(newcomer.id), star.id)).toBe(1);

    const second = await postTweet(t, star, 'second as a star');
    await eventually(() => homeTimeline(t, newcomer), (p) => p.edges[0]?.node.id === second, { what: 'second tweet' });

    const deleted = await t.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: first }, star.token);
    expect(deleted.errors).toBeUndefined();
    await eventually(() => homeTimeline(t, fans[0]!), (p) => p.edges.map((e) => e.node.id).join() === second, { what: 'delete' });

    const unfollowed = await t.gql('mutation($h: String!) { unfollow(handle: $h) { id } }', { h: star.handle }, newcomer.token);
    expect(unfollowed.errors).toBeUndefined();
    // The graph is written by the API itself, so the read filters the star out before any consumer runs.
    expect((await homeTimeline(t, newcomer)).edges).toEqual([]);
  });

  it('pushes a celebrity’s new tweet live to a subscribed follower', async () => {
    const star = await signUp(t, 'star');
    const fans = [await signUp(t, 'fan'), await signUp(t, 'fan'), await signUp(t, 'fan')];
    for (const fan of fans) await follow(t, fan, star.handle);
    await postTweet(t, star, 'promote me');
    // The promotion's scan has reached this follower: the subscription below listens to the star.
    await eventually(() => t.app.redis.sismember(keys.followedCelebrities(fans[0]!.id), star.id), (n) => n === 1, { what: 'promotion' });

    const live = subscribe(t.url, HOME, { token: fans[0]!.token });
    await subscriptionsActive(t.app);
    const id = await postTweet(t, star, 'live from the stage');
    const results = await eventually(
      async () => live.results.map((r) => (r.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id),
      (ids) => ids.includes(id),
      { what: 'live push of a celebrity tweet' },
    );
    expect(results).toEqual([id]);
    await live.dispose();
  });
});

/** Total commands the Redis server has executed, from INFO commandstats. */
async function commandsExecuted(t: TestApp): Promise<number> {
  const info = await t.app.redis.info('commandstats');
  return [...info.matchAll(/^cmdstat_[a-z|]+:calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('hybrid fan-out: read cost', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FANOUT_CELEBRITY_THRESHOLD: '2', FANOUT_SPLIT_ABOVE: '1000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads a merged page with one ZRANGE per followed celebrity and one MGET for all its tweets, whatever its size', async () => {
    const stars = [await signUp(t, 'star'), await signUp(t, 'star')];
    const friend = await signUp(t, 'friend');
    const reader = await signUp(t, 'reader');
    const other = await signUp(t, 'other');
    for (const star of stars) {
      await follow(t, reader, star.handle);
      await follow(t, other, star.handle);
    }
    await follow(t, reader, friend.handle);
    for (let i = 0; i < 8; i++) for (const author of [...stars, friend]) await postTweet(t, author, `${author.handle} ${i}`);
    await eventually(() => homeTimeline(t, reader, 30), (p) => p.edges.length === 24, { what: 'all 24 tweets readable' });
    // Idle consumers, so every command counted below is the read.
    await consumed(t, { 'tweet-store': 24, fanout: 24, tagger: 24, moderator: 24, 'timeline-merge': 5 });
    expect(await t.app.redis.scard(keys.followedCelebrities(reader.id))).toBe(2);

    const cost = async (first: number) => {
      const before = await commandsExecuted(t);
      const page = await homeTimeline(t, reader, first);
      expect(page.edges).toHaveLength(first);
      // Minus the INFO that took the second reading.
      return (await commandsExecuted(t)) - before - 1;
    };
    // The page script (EVALSHA + its GET of the last-seen record + its ZRANGE) + SMEMBERS + the ZUNION
    // of who is hidden from the reader, then ZMSCORE following + one ZRANGE per celebrity, then MGET
    // tweets + MGET authors.
    expect(await cost(5)).toBe(10);
    expect(await cost(20)).toBe(10);
  });
});

describe('split fan-out: a large audience is written in parallel slices', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FANOUT_SPLIT_ABOVE: '4', FANOUT_CHUNK_SIZE: '3', FANOUT_CELEBRITY_THRESHOLD: '1000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('delivers to every follower exactly once through the fanout-slices group', async () => {
    const author = await signUp(t, 'author');
    const followers: SignedIn[] = [];
    for (let i = 0; i < 11; i++) {
      const f = await signUp(t, 'f');
      await follow(t, f, author.handle);
      followers.push(f);
    }
    const before = await processed(t, 'fanout-slices');
    const id = await postTweet(t, author, 'to many');
    for (const f of followers) {
      await eventually(() => homeTimeline(t, f), (p) => p.edges.some((e) => e.node.id === id), { what: `${f.handle} got it` });
    }
    // 11 followers in slices of about 3: four slices.
    await eventually(() => processed(t, 'fanout-slices'), (n) => n - before === 4, { what: 'four slices processed' });
    for (const f of followers) expect(await t.app.redis.zcard(keys.homeTimeline(f.id))).toBe(1);
    expect((await homeTimeline(t, author)).edges.map((e) => e.node.id)).toEqual([id]);
  });

  it("splits a repost to a large audience the same way, at the repost's time", async () => {
    const author = await signUp(t, 'rauthor');
    const reposter = await signUp(t, 'reposter');
    const followers: SignedIn[] = [];
    for (let i = 0; i < 11; i++) {
      const f = await signUp(t, 'rf');
      await follow(t, f, reposter.handle);
      followers.push(f);
    }
    const id = await postTweet(t, author, 'reposted to many');
    await eventually(() => homeTimeline(t, author), (p) => p.edges.some((e) => e.node.id === id), { what: 'the original stored and fanned out' });
    const before = await processed(t, 'fanout-slices');
    const res = await t.gql('mutation($id: ID!) { repost(id: $id) { id } }', { id }, reposter.token);
    expect(res.errors).toBeUndefined();
    for (const f of followers) {
      await eventually(() => homeTimeline(t, f), (p) => p.edges.some((e) => e.node.id === id), { what: `${f.handle} got the repost` });
    }
    await eventually(() => processed(t, 'fanout-slices'), (n) => n - before === 4, { what: 'four repost slices processed' });
    for (const f of followers) expect(Number(await t.app.redis.zscore(keys.homeTimeline(f.id), id))).toBeGreaterThan(snowflakeTime(id));
  });
});
