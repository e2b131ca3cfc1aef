import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { consumed, processedByGroup } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { counts, homeIds, relate, relateRaw } from './harness/social.js';
import { forYou } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp } from './harness/users.js';
import { subscribe, subscriptionsActive } from './harness/ws-client.js';

const LIVE = 'subscription { homeTimeline { node { id author { handle } } } }';

describe('mutes and blocks', () => {
  let t: TestApp;
  let direct: Redis;
  beforeAll(async () => {
    t = await startTestApp();
    direct = new Redis(t.redis.url);
  });
  afterAll(async () => {
    direct?.disconnect();
    await t?.stop();
  });

  /** Waits until the fanout group has handled this many more tweets than `before`. */
  const fannedOut = async (before: number, more: number) => consumed(t, { fanout: before + more, 'tweet-store': before + more });

  it('hides a muted author from the home timeline and forYou from the next request on, and fan-out skips the muter', async () => {
    const reader = await signUp(t, 'reader');
    const loud = await signUp(t, 'loud');
    const calm = await signUp(t, 'calm');
    await follow(t, reader, loud.handle);
    await follow(t, reader, calm.handle);
    const before = (await processedByGroup(t)).fanout ?? 0;
    const early = await postTweet(t, loud, 'an early word from the loud one');
    const kind = await postTweet(t, calm, 'a calm remark');
    await eventually(() => homeIds(t, reader), (ids) => ids.includes(early) && ids.includes(kind), { what: 'both tweets in the timeline' });
    expect((await forYou(t, reader)).edges.map((e) => e.node.id)).toContain(early);

    await relate(t, reader, 'mute', loud.handle);
    // The very next requests: no waiting for any consumer.
    expect(await homeIds(t, reader)).toEqual([kind]);
    expect((await forYou(t, reader)).edges.map((e) => e.node.author.handle)).not.toContain(loud.handle);
    // Still following: a mute is not an unfollow.
    expect((await counts(t, reader.handle)).followingCount).toBe(2);

    const later = await postTweet(t, loud, 'more noise after the mute');
    const calmLater = await postTweet(t, calm, 'another calm remark');
    await fannedOut(before, 4);
    expect(await direct.zscore(keys.homeTimeline(reader.id), later)).toBeNull();
    expect(await direct.zscore(keys.homeTimeline(reader.id), calmLater)).not.toBeNull();
    expect(await homeIds(t, reader)).toEqual([calmLater, kind]);

    // Muting twice is one mute; unmuting shows again what is still stored (not what fan-out skipped).
    await relate(t, reader, 'mute', loud.handle);
    await relate(t, reader, 'unmute', loud.handle);
    expect(await homeIds(t, reader)).toEqual([calmLater, kind, early]);
  });

  it('ends follows both ways on a block, refuses follows either way, and hides each from the other', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    await follow(t, alice, bob.handle);
    await follow(t, bob, alice.handle);
    const fromBob = await postTweet(t, bob, 'bob speaks');
    await eventually(() => homeIds(t, alice), (ids) => ids.includes(fromBob), { what: "bob's tweet at alice's" });

    await relate(t, alice, 'block', bob.handle);
    expect(await counts(t, alice.handle)).toEqual({ followerCount: 0, followingCount: 0 });
    expect(await counts(t, bob.handle)).toEqual({ followerCount: 0, followingCount: 0 });
    // Hidden at once, before timeline-merge has taken bob's tweets out of alice's timeline.
    expect(await homeIds(t, alice)).not.toContain(fromBob);

    const refused = await relateRaw(t, bob, 'follow', alice.handle);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BLOCKED');
    expect(refused.errors?.[0]?.message).toMatch(/has blocked you/);
    const own = await relateRaw(t, alice, 'follow', bob.handle);
    expect(own.errors?.[0]?.extensions?.code).toBe('BLOCKED');
    expect(own.errors?.[0]?.message).toMatch(/unblock them first/);

    // Unblocking lets them follow again; the follows the block ended stay ended.
    await relate(t, alice, 'unblock', bob.handle);
    expect(await counts(t, alice.handle)).toEqual({ followerCount: 0, followingCount: 0 });
    await follow(t, bob, alice.handle);
    expect((await counts(t, alice.handle)).followerCount).toBe(1);
  });

  it('stops a running live timeline from sending a muted author', async () => {
    const reader = await signUp(t, 'liver');
    const noisy = await signUp(t, 'noisy');
    const quiet = await signUp(t, 'quiet');
    await follow(t, reader, noisy.handle);
    await follow(t, reader, quiet.handle);
    const live = subscribe(t.url, LIVE, { token: reader.token });
    try {
      await subscriptionsActive(t.app);
      const first = await postTweet(t, noisy, 'heard live');
      await eventually(async () => live.results.length, (n) => n === 1, { what: 'the first push' });
      await relate(t, reader, 'mute', noisy.handle);
      await postTweet(t, noisy, 'not heard live');
      const last = await postTweet(t, quiet, 'heard live too');
      await eventually(async () => live.results.length, (n) => n >= 2, { what: 'the quiet push' });
      const ids = live.results.map((r) => (r.data as { homeTimeline: { node: { id: string } } }).homeTimeline.node.id);
      expect(ids).toEqual([first, last]);
    } finally {
      await live.dispose();
    }
  });

  it('refuses unknown handles and yourself with a clear error, storing and producing nothing', async () => {
    const user = await signUp(t, 'picky');
    for (const mutation of ['mute', 'unmute', 'block', 'unblock'] as const) {
      const before = await sideEffects(t);
      const unknown = await relateRaw(t, user, mutation, 'nobody_at_all');
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const self = await relateRaw(t, user, mutation, user.handle);
      expect(self.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(self.errors?.[0]?.message).toMatch(/yourself/);
      const anonymous = await t.gql(`mutation { ${mutation}(handle: "${user.handle}") { id } }`);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await sideEffects(t)).toEqual(before);
    }
  });

  it('creates no notifications from a muted user, and leaves a muted actor out of ones stored before', async () => {
    const kinds = async (user: { token: string }) => {
      const res = await t.gql<{ notifications: { edges: { node: { kind: string; actors: { handle: string }[] } }[] } }>(
        '{ notifications(first: 10) { edges { node { kind actors(first: 5) { handle } } } } }',
        {},
        user.token,
      );
      if (!res.data?.notifications) throw new Error(`notifications failed: ${JSON.stringify(res.errors)}`);
      return res.data.notifications.edges.map((e) => `${e.node.kind} ${e.node.actors.map((a) => a.handle).join(',')}`);
    };
    const poster = await signUp(t, 'poster');
    const fan = await signUp(t, 'fan');
    const pest = await signUp(t, 'pest');
    const tweet = await postTweet(t, poster, 'a tweet worth liking');
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: tweet }), (r) => r.data?.tweet?.id === tweet, {
      what: 'the tweet stored',
    });
    // The pest likes before the mute: stored, then hidden at read once muted.
    expect((await t.gql('mutation($id: ID!) { likeTweet(id: $id) { id } }', { id: tweet }, pest.token)).errors).toBeUndefined();
    await eventually(() => kinds(poster), (k) => k.includes(`LIKE ${pest.handle}`), { what: "the pest's like notified" });
    await relate(t, poster, 'mute', pest.handle);
    expect(await kinds(poster)).toEqual(['LIKE ']);
    // After the mute: the pest's follow notifies nobody; the fan's does.
    await follow(t, pest, poster.handle);
    await follow(t, fan, poster.handle);
    await eventually(() => kinds(poster), (k) => k.includes(`FOLLOW ${fan.handle}`), { what: "the fan's follow notified" });
    expect(await kinds(poster)).toEqual([`FOLLOW ${fan.handle}`, 'LIKE ']);
  });
});
