import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';
import { subscribe, subscriptionsActive, type LiveClient } from './harness/ws-client.js';

interface NotificationNode {
  kind: string;
  actorCount: number;
  actors: { handle: string }[];
  tweet: { id: string; text: string } | null;
  createdAt: string;
  read: boolean;
}
interface NotificationPage {
  edges: { cursor: string; node: NotificationNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAGE = `query($first: Int, $after: String) { notifications(first: $first, after: $after) {
  edges { cursor node { kind actorCount actors(first: 2) { handle } tweet { id text } createdAt read } }
  pageInfo { hasNextPage endCursor } } }`;

async function notifications(t: TestApp, user: SignedIn, variables: Record<string, unknown> = {}): Promise<NotificationPage> {
  const res = await t.gql<{ notifications: NotificationPage }>(PAGE, variables, user.token);
  if (!res.data?.notifications) throw new Error(`notifications failed: ${JSON.stringify(res.errors)}`);
  return res.data.notifications;
}

async function unread(t: TestApp, user: SignedIn): Promise<number> {
  const res = await t.gql<{ unreadNotificationCount: number }>('{ unreadNotificationCount }', {}, user.token);
  if (res.data?.unreadNotificationCount === undefined) throw new Error(`unreadNotificationCount failed: ${JSON.stringify(res.errors)}`);
  return res.data.unreadNotificationCount;
}

const MARK = 'mutation($upTo: String!) { markNotificationsRead(upTo: $upTo) }';

/** Follows, likes and mentions through the GraphQL API, read back as grouped notifications (real broker, real Redis). */
describe('notifications', () => {
  let t: TestApp;
  let alice: SignedIn, bob: SignedIn, carol: SignedIn, dave: SignedIn;
  let live: LiveClient;
  let tweetId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob, carol, dave] = [await signUp(t, 'alice'), await signUp(t, 'bob'), await signUp(t, 'carol'), await signUp(t, 'dave')];
  });
  afterAll(async () => {
    await live?.dispose();
    await t?.stop();
  });

  it('groups follows and likes, notifies mentions of existing users only, and pushes them live', async () => {
    live = subscribe(t.url, 'subscription { notifications { kind actorCount actors(first: 5) { handle } tweet { id } read } }', { token: alice.token });
    await subscriptionsActive(t.app);

    await follow(t, bob, alice.handle);
    await follow(t, carol, alice.handle);
    tweetId = await postTweet(t, alice, `hello @${dave.handle.toUpperCase()} and @nobody_here`);
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id: tweetId }, alice.token), (r) => !!r.data?.tweet, {
      what: 'the tweet stored',
    });
    for (const liker of [bob, carol, dave, bob, alice]) {
      const res = await t.gql('mutation($id: ID!) { likeTweet(id: $id) { id } }', { id: tweetId }, liker.token);
      expect(res.errors).toBeUndefined();
    }

    const page = await eventually(
      () => notifications(t, alice),
      (p) => p.edges.some((e) => e.node.kind === 'LIKE' && e.node.actorCount === 3) && p.edges.some((e) => e.node.kind === 'FOLLOW' && e.node.actorCount === 2),
      { what: 'a like group of 3 and a follow group of 2' },
    );
    // The like group is the newest activity; its newest actors first; alice's own like is not there.
    expect(page.edges.map((e) => e.node.kind)).toEqual(['LIKE', 'FOLLOW']);
    const likes = page.edges[0]!.node;
    expect(likes).toMatchObject({ actorCount: 3, tweet: { id: tweetId }, read: false });
    expect(likes.actors.map((a) => a.handle)).toEqual([dave.handle, carol.handle]);
    expect(page.edges[1]!.node).toMatchObject({ tweet: null, read: false });
    expect(page.edges[1]!.node.actors.map((a) => a.handle)).toEqual([carol.handle, bob.handle]);
    expect(Date.parse(likes.createdAt)).toBeGreaterThan(Date.parse(page.edges[1]!.node.createdAt));

    const mentioned = await eventually(() => notifications(t, dave), (p) => p.edges.length > 0, { what: "dave's mention" });
    expect(mentioned.edges.map((e) => e.node)).toEqual([
      { kind: 'MENTION', actorCount: 1, actors: [{ handle: alice.handle }], tweet: { id: tweetId, text: expect.stringContaining('@nobody_here') }, createdAt: expect.any(String), read: false },
    ]);

    // Each change was pushed after it was stored: the last push of the like group counts all three.
    const pushed = await eventually(
      async () => live.results.map((r) => (r.data as { notifications: NotificationNode } | undefined)?.notifications),
      (all) => all.some((n) => n?.kind === 'LIKE' && n.actorCount === 3) && all.some((n) => n?.kind === 'FOLLOW' && n.actorCount === 2),
      { what: 'the like group pushed with 3 actors and the follow group with 2' },
    );
    // A push names the group and the subscription reads it then, so two quick changes may both show the later count.
    const counts = (kind: string) => pushed.filter((n) => n?.kind === kind).map((n) => n!.actorCount);
    expect(counts('FOLLOW').at(-1)).toBe(2);
    expect(counts('LIKE')).toEqual([...counts('LIKE')].sort((x, y) => x - y));
    expect(counts('LIKE').at(-1)).toBe(3);
    expect(live.results.every((r) => r.errors === undefined)).toBe(true);
  });

  it('counts unread groups, refuses bad cursors without writing, and marks read up to a cursor', async () => {
    expect(await unread(t, alice)).toBe(2);
    const page = await notifications(t, alice);
    const daves = await notifications(t, dave);

    const before = await sideEffects(t);
    const refused = [
      await t.gql(MARK, { upTo: daves.edges[0]!.cursor }, alice.token),
      await t.gql(MARK, { upTo: 'not a cursor!' }, alice.token),
      await t.gql(MARK, { upTo: Buffer.from(`${alice.id}:1:boost:1`).toString('base64url') }, alice.token),
      await t.gql(PAGE, { after: daves.edges[0]!.cursor }, alice.token),
      await t.gql(PAGE, { first: 0 }, alice.token),
    ];
    for (const res of refused) {
      expect(res.data ?? null, JSON.stringify(res)).toBeNull();
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe('BAD_USER_INPUT');
    }
    expect(refused[0]!.errors![0]!.message).toMatch(/another user's notifications/);
    expect(refused[0]!.errors![0]!.extensions!.field).toBe('upTo');
    expect((await t.gql(MARK, { upTo: page.edges[0]!.cursor })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await sideEffects(t)).toEqual(before);
    expect(await unread(t, alice)).toBe(2);
    expect(await unread(t, dave)).toBe(1);

    // Up to the older group: one marked; then up to the newest: the other; again: none.
    expect((await t.gql<{ markNotificationsRead: number }>(MARK, { upTo: page.edges[1]!.cursor }, alice.token)).data?.markNotificationsRead).toBe(1);
    expect(await unread(t, alice)).toBe(1);
    expect((await t.gql<{ markNotificationsRead: number }>(MARK, { upTo: page.edges[0]!.cursor }, alice.token)).data?.markNotificationsRead).toBe(1);
    expect((await t.gql<{ markNotificationsRead: number }>(MARK, { upTo: page.edges[0]!.cursor }, alice.token)).data?.markNotificationsRead).toBe(0);
    expect(await unread(t, alice)).toBe(0);
    expect((await notifications(t, alice)).edges.map((e) => e.node.read)).toEqual([true, true]);

    // Paging with the connection's own cursors.
    const first = await notifications(t, alice, { first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await notifications(t, alice, { first: 1, after: first.pageInfo.endCursor });
    expect([...first.edges, ...second.edges].map((e) => e.node.kind)).toEqual(['LIKE', 'FOLLOW']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('makes a group unread again when a new actor joins it, and takes an unlike back', async () => {
    const erin = await signUp(t, 'erin');
    await t.gql('mutation($id: ID!) { likeTweet(id: $id) { id } }', { id: tweetId }, erin.token);
    await eventually(() => unread(t, alice), (n) => n === 1, { what: 'the like group unread again' });
    expect((await notifications(t, alice)).edges[0]!.node).toMatchObject({ kind: 'LIKE', actorCount: 4, read: false });

    await t.gql('mutation($id: ID!) { unlikeTweet(id: $id) { id } }', { id: tweetId }, erin.token);
    const after = await eventually(() => notifications(t, alice), (p) => p.edges[0]?.node.actorCount === 3, { what: "erin's like taken back" });
    expect(after.edges[0]!.node.actors.map((a) => a.handle)).toEqual([dave.handle, carol.handle]);
  });
});
