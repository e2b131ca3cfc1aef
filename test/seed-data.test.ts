import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { invertRows, rowOf } from '../scripts/population/power-law-graph.js';
import { DEFAULT_SEED_OPTIONS, seedData, type SeedResult } from '../scripts/seed/seed-data.js';
import { eventually } from './harness/poll.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, type SignedIn } from './harness/users.js';

const USERS = 300;
/** Followee rows (who each user follows) of a seeded graph. */
const invertRowsOf = (s: SeedResult) => invertRows(s.followers);

/**
 * seed-data writes what the service would have written: the running service reads it back through
 * its own API — log in, counts, follower lists, home timelines — and keeps working on top of it.
 */
describe('seed-data', () => {
  let t: TestApp;
  let redis: Redis;
  let seeded: SeedResult;
  beforeAll(async () => {
    t = await startTestApp();
    redis = new Redis(t.redis.url);
    seeded = await seedData(redis, {
      ...DEFAULT_SEED_OPTIONS,
      users: USERS,
      maxFollowers: 120,
      exponent: 0.7,
      tweetsPerUser: 4,
      handlePrefix: 'sd',
      now: Date.now(),
      homeCap: t.config.timeline.cap,
      authorCap: t.config.timeline.authorTweetsCap,
      activeDays: t.config.timeline.activeDays,
    });
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.stop();
  });

  const logIn = async (index: number): Promise<SignedIn> => {
    const res = await t.gql<{ logIn: { token: string; user: { id: string; handle: string } } }>(
      'mutation($h: String!, $p: String!) { logIn(handle: $h, password: $p) { token user { id handle } } }',
      { h: seeded.handleOf(index), p: DEFAULT_SEED_OPTIONS.password },
    );
    if (!res.data?.logIn) throw new Error(`logIn failed: ${JSON.stringify(res.errors)}`);
    return { ...res.data.logIn.user, token: res.data.logIn.token };
  };

  it('writes users who can log in, with the power-law follower counts, in both directions', async () => {
    const top = await logIn(0);
    expect(top.id).toBe(seeded.userIds[0]);
    const res = await t.gql<{ user: { followerCount: number; followers: { edges: { node: { id: string } }[] } } }>(
      'query($h: String!) { user(handle: $h) { followerCount followers(first: 100) { edges { node { id } } } } }',
      { h: seeded.handleOf(0) },
    );
    expect(res.data?.user.followerCount).toBe(120);
    const followerIds = new Set([...rowOf(seeded.followers, 0)].map((i) => seeded.userIds[i]));
    expect(res.data?.user.followers.edges.every((e) => followerIds.has(e.node.id))).toBe(true);
    const someFollower = [...rowOf(seeded.followers, 0)][0]!;
    const following = await t.gql<{ user: { followingCount: number } }>('query($h: String!) { user(handle: $h) { followingCount } }', { h: seeded.handleOf(someFollower) });
    expect(following.data?.user.followingCount).toBeGreaterThan(0);
  });

  const readHome = async (index: number) => {
    const reader = await logIn(index);
    const res = await t.gql<{ homeTimeline: { edges: { node: { id: string; createdAt: string; author: { id: string } } }[]; pageInfo: { partial: boolean } } }>(
      'query { homeTimeline(first: 50) { edges { node { id createdAt author { id } } } pageInfo { partial } } }',
      {},
      reader.token,
    );
    return { reader, ...res.data!.homeTimeline };
  };

  it('seeds 20% of users active, with home timelines; the others have none and get theirs rebuilt on their first read', async () => {
    expect(seeded.activeUsers).toBe(Math.round(USERS * 0.2));
    const inactive = seeded.active.findIndex((a, i) => !a && rowOf(invertRowsOf(seeded), i).length > 0);
    expect(await redis.exists(keys.homeTimeline(seeded.userIds[inactive]!))).toBe(0);
    const { reader, edges, pageInfo } = await readHome(inactive);
    expect(pageInfo.partial).toBe(true);
    expect(edges.length).toBeGreaterThan(0);
    const followees = new Set((await redis.zrange(keys.following(reader.id), 0, -1)).concat(reader.id));
    expect(edges.every((e) => followees.has(e.node.author.id))).toBe(true);
    await eventually(async () => (await readHome(inactive)).pageInfo.partial, (p) => !p, { what: 'the rebuild' });
    expect((await readHome(inactive)).edges).toEqual(edges);
  });

  it("fills active users' home timelines with followees' tweets, newest first, that the API pages through", async () => {
    const { reader, edges, pageInfo } = await readHome(seeded.active.findIndex((a) => a === 1));
    expect(pageInfo.partial).toBe(false);
    expect(edges.length).toBeGreaterThan(0);
    const times = edges.map((e) => Date.parse(e.node.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const followees = new Set((await redis.zrange(keys.following(reader.id), 0, -1)).concat(reader.id));
    expect(edges.every((e) => followees.has(e.node.author.id))).toBe(true);
  });

  it('keeps working on top: a new tweet of the most followed user reaches a follower', async () => {
    const author = await logIn(0);
    const id = await postTweet(t, author, 'posted after seeding');
    const follower = await logIn([...rowOf(seeded.followers, 0)][3]!);
    await eventually(
      async () => (await t.gql<{ homeTimeline: { edges: { node: { id: string } }[] } }>('query { homeTimeline(first: 1) { edges { node { id } } } }', {}, follower.token)).data?.homeTimeline.edges[0]?.node.id,
      (first) => first === id,
      { what: 'the new tweet at the top of a seeded home timeline' },
    );
  });
});
