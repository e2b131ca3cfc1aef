import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/adapters/redis/keys.js';
import { processedByGroup } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { homeIds, relate } from './harness/social.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';

const REPLY = 'mutation($t: String!, $r: ID) { postTweet(text: $t, replyTo: $r) { id replyTo { id } } }';
const THREAD = `query($id: ID!, $first: Int, $after: String) { tweet(id: $id) { id replyCount
  replies(first: $first, after: $after) { edges { cursor node { id replyTo { id } author { handle } } } pageInfo { hasNextPage endCursor } } } }`;

interface Thread {
  id: string;
  replyCount: number;
  replies: { edges: { cursor: string; node: { id: string; replyTo: { id: string } | null; author: { handle: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('replies', () => {
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

  const replyRaw = (user: SignedIn, text: string, replyTo: string | null) =>
    t.gql<{ postTweet: { id: string; replyTo: { id: string } | null } }>(REPLY, { t: text, r: replyTo }, user.token);
  async function reply(user: SignedIn, text: string, replyTo: string): Promise<string> {
    const res = await replyRaw(user, text, replyTo);
    if (!res.data?.postTweet) throw new Error(`reply failed: ${JSON.stringify(res.errors)}`);
    return res.data.postTweet.id;
  }
  async function thread(id: string, viewer?: SignedIn, first = 20, after?: string): Promise<Thread> {
    const res = await t.gql<{ tweet: Thread }>(THREAD, { id, first, after }, viewer?.token);
    if (!res.data?.tweet) throw new Error(`thread failed: ${JSON.stringify(res.errors)}`);
    return res.data.tweet;
  }
  /** Waits until the fanout group has handled as many tweet events as the tweet-store group. */
  async function settled(): Promise<void> {
    await eventually(
      () => processedByGroup(t),
      (seen) => seen['tweet-store'] !== undefined && seen['tweet-store'] === seen.fanout,
      { what: 'tweet-store and fanout level' },
    );
  }

  it('lists replies oldest first with their count, and each names the tweet it replies to', async () => {
    const alice = await signUp(t, 'alice');
    const bob = await signUp(t, 'bob');
    const carol = await signUp(t, 'carol');
    const root = await postTweet(t, alice, 'what do you all think?');
    await eventually(() => thread(root), (th) => th.replyCount === 0, { what: 'the root stored' });
    const first = await reply(bob, 'I think yes', root);
    const second = await reply(carol, 'I think no', root);
    const third = await reply(bob, 'still yes', root);
    const full = await eventually(() => thread(root), (th) => th.replyCount === 3, { what: 'three replies stored' });
    expect(full.replies.edges.map((e) => e.node.id)).toEqual([first, second, third]);
    expect(full.replies.edges.every((e) => e.node.replyTo?.id === root)).toBe(true);

    const page1 = await thread(root, undefined, 2);
    expect(page1.replies.edges.map((e) => e.node.id)).toEqual([first, second]);
    expect(page1.replies.pageInfo.hasNextPage).toBe(true);
    const page2 = await thread(root, undefined, 2, page1.replies.pageInfo.endCursor!);
    expect(page2.replies.edges.map((e) => e.node.id)).toEqual([third]);
    expect(page2.replies.pageInfo.hasNextPage).toBe(false);

    // A muted replier leaves the list at once; the count stays the thread's own.
    await relate(t, alice, 'mute', carol.handle);
    const seenByAlice = await thread(root, alice);
    expect(seenByAlice.replies.edges.map((e) => e.node.id)).toEqual([first, third]);
    expect(seenByAlice.replyCount).toBe(3);

    // Deleting a reply takes it out of the list and the count.
    const deleted = await t.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: third }, bob.token);
    expect(deleted.errors).toBeUndefined();
    const after = await eventually(() => thread(root), (th) => th.replyCount === 2, { what: 'the deleted reply gone' });
    expect(after.replies.edges.map((e) => e.node.id)).toEqual([first, second]);
  });

  it("enters a home timeline only if its reader follows both the replier and the one replied to", async () => {
    const author = await signUp(t, 'author');
    const replier = await signUp(t, 'replier');
    const both = await signUp(t, 'both');
    const onlyReplier = await signUp(t, 'onlyrep');
    await follow(t, both, author.handle);
    await follow(t, both, replier.handle);
    await follow(t, onlyReplier, replier.handle);
    await follow(t, author, replier.handle);
    const root = await postTweet(t, author, 'a question for the room');
    await eventually(() => thread(root), (th) => th.replyCount === 0, { what: 'the root stored' });
    const answer = await reply(replier, 'an answer', root);
    const own = await postTweet(t, replier, 'and a tweet of my own');
    await eventually(() => homeIds(t, onlyReplier), (ids) => ids.includes(own), { what: 'the plain tweet at a follower of the replier only' });
    await settled();
    expect(await homeIds(t, both)).toContain(answer);
    expect(await homeIds(t, author)).toContain(answer);
    expect(await homeIds(t, onlyReplier)).not.toContain(answer);
    expect(await direct.zscore(keys.homeTimeline(onlyReplier.id), answer)).toBeNull();
    expect(await homeIds(t, replier)).toContain(answer);
  });

  it('refuses replies to unknown, deleted and hidden tweets, and across blocks, storing and producing nothing', async () => {
    const owner = await signUp(t, 'owner');
    const other = await signUp(t, 'other');
    const third = await signUp(t, 'third');
    const gone = await postTweet(t, owner, 'soon gone');
    const spam = await postTweet(t, owner, 'Free crypto giveaway, buy followers now and click here to win');
    const fine = await postTweet(t, owner, 'a perfectly fine tweet');
    // Read as its author: moderation hides a flagged tweet from everyone else (tweet(id) is null to them).
    await eventually(
      () =>
        t.gql<{ tweet: { moderation: { flagged: boolean } | null } | null }>('query($id: ID!) { tweet(id: $id) { moderation { flagged } } }', { id: spam }, owner.token),
      (r) => r.data?.tweet?.moderation?.flagged === true,
      { what: 'the spam flagged' },
    );
    await eventually(() => thread(fine), (th) => th.id === fine, { what: 'the fine tweet stored' });
    expect((await t.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: gone }, owner.token)).errors).toBeUndefined();
    await eventually(() => t.gql<{ tweet: unknown }>('query($id: ID!) { tweet(id: $id) { id } }', { id: gone }), (r) => r.data?.tweet === null, {
      what: 'the deleted tweet gone',
    });
    await relate(t, owner, 'block', other.handle);
    await settled();

    const cases: { name: string; run: () => Promise<GraphQLResponse>; code: string; message: RegExp }[] = [
      { name: 'unknown', run: () => replyRaw(other, 'hm', '123456789'), code: 'NOT_FOUND', message: /not found/ },
      { name: 'malformed', run: () => replyRaw(other, 'hm', 'abc'), code: 'BAD_USER_INPUT', message: /replyTo is not a valid id/ },
      { name: 'deleted', run: () => replyRaw(owner, 'hm', gone), code: 'NOT_FOUND', message: /deleted/ },
      { name: 'hidden, by someone else', run: () => replyRaw(third, 'hm', spam), code: 'NOT_FOUND', message: /not found/ },
      { name: 'hidden, by its author', run: () => replyRaw(owner, 'hm', spam), code: 'FORBIDDEN', message: /hidden by moderation/ },
      { name: 'to a blocker', run: () => replyRaw(other, 'hm', fine), code: 'BLOCKED', message: /has blocked you/ },
      { name: 'mentioning a blocker', run: () => replyRaw(other, `hello @${owner.handle}`, null), code: 'BLOCKED', message: /has blocked you/ },
      { name: 'mentioning the one blocked', run: () => replyRaw(owner, `hello @${other.handle}`, null), code: 'BLOCKED', message: /unblock them first/ },
    ];
    for (const c of cases) {
      const before = await sideEffects(t);
      const res = await c.run();
      expect(res.errors?.[0]?.extensions?.code, `${c.name}: ${JSON.stringify(res)}`).toBe(c.code);
      expect(res.errors?.[0]?.message, c.name).toMatch(c.message);
      expect(await sideEffects(t), c.name).toEqual(before);
    }
    // A mention of a handle nobody has is plain text.
    const plain = await replyRaw(other, 'hello @nobody_has_it', null);
    expect(plain.errors).toBeUndefined();
  });
});
