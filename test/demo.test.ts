import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivity, type TickResult } from '../scripts/demo/activity.js';
import { castDemo, type CastOptions, type DemoCast } from '../scripts/demo/cast.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { subscribe, subscriptionsActive, type LiveClient } from './harness/ws-client.js';

const CAST: CastOptions = {
  users: 8,
  handlePrefix: 'dm',
  password: 'synthetic password',
  seed: 5,
  followsPerUser: 3,
  tweetsPerUser: 1,
  you: { handle: 'demo', password: 'correct horse battery' },
  youFollow: 4,
  youClicks: 3,
  concurrency: 4,
};

/**
 * `npm run demo`'s driver against the real broker, consumers and Redis, through the public GraphQL
 * API only (the driver is given nothing but the test app's HTTP client): the cast exists, the
 * trickle posts, follows, clicks and likes, the demo user's live subscription receives what people
 * it follows post, and forYou has reasons.
 */
describe('the demo driver', () => {
  let t: TestApp;
  let cast: DemoCast;
  let live: LiveClient | undefined;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await live?.dispose();
    await t?.stop();
  });

  it('sets up the population and the demo user through the API, and again on a repeat', async () => {
    cast = await castDemo(t.gql, CAST);
    expect(cast.users.map((u) => u.handle)).toEqual(['dm0', 'dm1', 'dm2', 'dm3', 'dm4', 'dm5', 'dm6', 'dm7']);
    expect(cast.created).toMatchObject({ users: 8, follows: 24, tweets: 8 });
    // Up to youClicks, as many as the set-up's tweets on the demo user's interests allow.
    expect(cast.created.clicks).toBeGreaterThan(0);
    expect(cast.created.clicks).toBeLessThanOrEqual(3);
    const me = await t.gql<{ me: { handle: string; followingCount: number } }>('{ me { handle followingCount } }', {}, cast.you.token);
    expect(me.data?.me).toEqual({ handle: 'demo', followingCount: 4 });
    const first = await t.gql<{ user: { followingCount: number; tweets: { edges: unknown[] } } }>(
      '{ user(handle: "dm0") { followingCount tweets { edges { node { id } } } } }',
    );
    expect(first.data?.user.followingCount).toBe(3);
    expect(first.data?.user.tweets.edges).toHaveLength(1);

    // A second `npm run demo` against the same service logs the same people in and posts nothing twice.
    const again = await castDemo(t.gql, CAST);
    expect(again.created).toMatchObject({ users: 0, tweets: 0 });
    expect(again.you.id).toBe(cast.you.id);
    expect(new Set(again.tweets.map((tweet) => tweet.id))).toEqual(new Set(cast.tweets.map((tweet) => tweet.id)));
  });

  it('trickles posts, follows, clicks and likes; the demo user hears its followees live and gets reasons in forYou', async () => {
    live = subscribe(t.url, 'subscription { homeTimeline { node { id text author { handle } } } }', { token: cast.you.token });
    await subscriptionsActive(t.app);

    const activity = createActivity(t.gql, cast, { seed: 9 });
    const results: TickResult[] = [];
    const followedHandles = new Set([...cast.followedByYou].map((i) => cast.users[i]!.handle));
    // Enough ticks for every kind of action and a post by someone the demo user follows; bounded.
    for (let i = 0; i < 200; i++) {
      results.push(await activity.tick());
      const done = Object.values(activity.counts).every((n) => n > 0);
      if (done && results.some((r) => r.ok && r.text && followedHandles.has(r.actor))) break;
    }
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(Object.keys(activity.counts)).toEqual(['post', 'follow', 'click', 'like']);
    for (const n of Object.values(activity.counts)) expect(n).toBeGreaterThan(0);

    const posts = results.filter((r): r is Extract<TickResult, { ok: true }> => r.ok && r.action === 'post');
    // Every post is stored and readable through the API.
    for (const post of posts) {
      await eventually(
        () => t.gql<{ tweet: { text: string } | null }>('query($id: ID!) { tweet(id: $id) { text } }', { id: post.tweetId }),
        (r) => r.data?.tweet?.text === post.text,
        { what: `tweet ${post.tweetId}` },
      );
    }
    const heard = posts.filter((p) => followedHandles.has(p.actor));
    expect(heard.length).toBeGreaterThan(0);
    const pushedIds = () => live!.results.map((r) => (r.data?.homeTimeline as { node: { id: string } } | undefined)?.node.id);
    await eventually(async () => pushedIds(), (ids) => heard.every((p) => ids.includes(p.tweetId)), { what: 'followees’ posts pushed live', timeoutMs: 30_000 });

    const follows = results.filter((r) => r.ok && r.action === 'follow');
    for (const f of follows) {
      if (!f.ok) continue;
      const followers = await t.gql<{ user: { followers: { edges: { node: { handle: string } }[] } } }>(
        'query($h: String!) { user(handle: $h) { followers(first: 100) { edges { node { handle } } } } }',
        { h: f.followee },
      );
      expect(followers.data?.user.followers.edges.map((e) => e.node.handle)).toContain(f.actor);
    }

    // Every like is stored: the liker sees it as theirs, and the count has it.
    const likes = results.filter((r): r is Extract<TickResult, { ok: true }> => r.ok && r.action === 'like' && !r.skipped);
    expect(likes.length).toBeGreaterThan(0);
    for (const like of likes) {
      const liker = cast.users.find((u) => u.handle === like.actor)!;
      const seen = await t.gql<{ tweet: { likeCount: number; viewerHasLiked: boolean } }>(
        'query($id: ID!) { tweet(id: $id) { likeCount viewerHasLiked } }',
        { id: like.tweetId },
        liker.token,
      );
      expect(seen.data?.tweet.viewerHasLiked).toBe(true);
      expect(seen.data?.tweet.likeCount).toBeGreaterThanOrEqual(1);
    }

    // The set-up's clicks taught the taste group the demo user's interests; the trickle goes on, as
    // in the demo, until someone posts a tweet on them that the demo user has not clicked yet (the
    // set-up's own such tweets may all be clicked, and the tagger gives some of them no tag).
    const forYou = await eventually(
      async () => {
        expect(await activity.tick()).toMatchObject({ ok: true });
        return t.gql<{ forYou: { edges: { reasons: string[] }[] } }>('{ forYou(first: 20) { edges { reasons } } }', {}, cast.you.token);
      },
      (r) => (r.data?.forYou.edges ?? []).some((e) => e.reasons.some((reason) => /^you clicked \d+ tweets? about /.test(reason))),
      { what: 'forYou reasons from the demo user’s taste', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(forYou.data?.forYou.edges.every((e) => e.reasons.length > 0)).toBe(true);
  });
});
