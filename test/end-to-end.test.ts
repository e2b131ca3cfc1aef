import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, homeTimeline, postTweet, signUp } from './harness/users.js';

/** The backbone's story, through the real broker and Redis: sign up, follow, post, page, delete. */
describe('end to end: tweets flow through Kafka into Redis timelines', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('delivers a followed author’s tweets newest first across pages, and deletes them everywhere', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, bob, alice.handle);

    const ids: string[] = [];
    for (const text of ['first', 'second', 'third']) ids.push(await postTweet(t, alice, text));

    const page1 = await eventually(
      () => homeTimeline(t, bob, 2),
      (p) => p.edges.length === 2 && p.edges[0]!.node.id === ids[2],
      { what: "bob's first page" },
    );
    expect(page1.edges.map((e) => e.node.text)).toEqual(['third', 'second']);
    expect(page1.edges[0]!.node.author.handle).toBe(alice.handle);
    expect(page1.pageInfo.hasNextPage).toBe(true);

    const page2 = await homeTimeline(t, bob, 2, page1.pageInfo.endCursor!);
    expect(page2.edges.map((e) => e.node.text)).toEqual(['first']);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    // Alice sees her own tweets.
    const own = await eventually(() => homeTimeline(t, alice), (p) => p.edges.length === 3, { what: "alice's timeline" });
    expect(own.edges.map((e) => e.node.id)).toEqual([...ids].reverse());

    // Bob cannot delete Alice's tweet.
    const forbidden = await t.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: ids[1] }, bob.token);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Alice deletes one: it leaves Bob's timeline and the tweet query.
    const deleted = await t.gql<{ deleteTweet: boolean }>('mutation($id: ID!) { deleteTweet(id: $id) }', { id: ids[1] }, alice.token);
    expect(deleted.data?.deleteTweet).toBe(true);
    const after = await eventually(() => homeTimeline(t, bob), (p) => p.edges.length === 2, { what: 'delete to reach bob' });
    expect(after.edges.map((e) => e.node.text)).toEqual(['third', 'first']);
    const gone = await t.gql<{ tweet: unknown }>('query($id: ID!) { tweet(id: $id) { id } }', { id: ids[1] });
    expect(gone.data?.tweet).toBeNull();
  });

  it('keeps paging stable while new tweets arrive', async () => {
    const author = await signUp(t, 'steady');
    const reader = await signUp(t, 'reader');
    await follow(t, reader, author.handle);
    for (let i = 0; i < 4; i++) await postTweet(t, author, `old ${i}`);
    const first = await eventually(() => homeTimeline(t, reader, 2), (p) => p.edges[0]?.node.text === 'old 3', { what: 'old tweets' });

    for (let i = 0; i < 3; i++) await postTweet(t, author, `new ${i}`);
    await eventually(() => homeTimeline(t, reader, 1), (p) => p.edges[0]?.node.text === 'new 2', { what: 'new tweets' });

    const second = await homeTimeline(t, reader, 2, first.pageInfo.endCursor!);
    expect(second.edges.map((e) => e.node.text)).toEqual(['old 1', 'old 0']);
  });

  it('merges a followee’s earlier tweets on follow and removes them on unfollow; counts change at once', async () => {
    const carol = await signUp(t, 'carol');
    const dave = await signUp(t, 'dave');
    const earlier = await postTweet(t, carol, 'posted before the follow');
    await eventually(
      () => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: earlier }),
      (r) => r.data?.tweet?.id === earlier,
      { what: 'tweet stored' },
    );

    await follow(t, dave, carol.handle);
    const counts = await t.gql<{ user: { followerCount: number }; me: { followingCount: number } }>(
      'query($h: String!) { user(handle: $h) { followerCount } me { followingCount } }',
      { h: carol.handle },
      dave.token,
    );
    expect(counts.data).toEqual({ user: { followerCount: 1 }, me: { followingCount: 1 } });

    await eventually(() => homeTimeline(t, dave), (p) => p.edges.some((e) => e.node.id === earlier), { what: 'merge on follow' });

    const res = await t.gql('mutation($h: String!) { unfollow(handle: $h) { followerCount } }', { h: carol.handle }, dave.token);
    expect(res.data).toEqual({ unfollow: { followerCount: 0 } });
    await eventually(() => homeTimeline(t, dave), (p) => p.edges.length === 0, { what: 'unmerge on unfollow' });
  });

  it('lists followers, following and a user’s own tweets as connections', async () => {
    const star = await signUp(t, 'star');
    const fans = [await signUp(t, 'fan'), await signUp(t, 'fan'), await signUp(t, 'fan')];
    for (const fan of fans) await follow(t, fan, star.handle);
    const tweetId = await postTweet(t, star, 'hello fans');

    const query = `query($h: String!, $after: String) { user(handle: $h) {
      followers(first: 2, after: $after) { edges { node { handle } } pageInfo { hasNextPage endCursor } }
      tweets(first: 5) { edges { node { id } } } } }`;
    type R = { user: { followers: { edges: { node: { handle: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } }; tweets: { edges: { node: { id: string } }[] } } };
    const p1 = await eventually(() => t.gql<R>(query, { h: star.handle }), (r) => r.data?.user.tweets.edges.length === 1, { what: 'author tweets' });
    expect(p1.data!.user.tweets.edges[0]!.node.id).toBe(tweetId);
    expect(p1.data!.user.followers.edges.map((e) => e.node.handle)).toEqual([fans[2]!.handle, fans[1]!.handle]);
    const p2 = await t.gql<R>(query, { h: star.handle, after: p1.data!.user.followers.pageInfo.endCursor });
    expect(p2.data!.user.followers.edges.map((e) => e.node.handle)).toEqual([fans[0]!.handle]);
    expect(p2.data!.user.followers.pageInfo.hasNextPage).toBe(false);

    const following = await t.gql<{ me: { following: { edges: { node: { handle: string } }[] } } }>(
      '{ me { following { edges { node { handle } } } } }',
      {},
      fans[0]!.token,
    );
    expect(following.data!.me.following.edges.map((e) => e.node.handle)).toEqual([star.handle]);
  });
});
