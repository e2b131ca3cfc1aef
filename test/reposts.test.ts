import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaAdmin, type KafkaAdmin } from '../src/adapters/kafka/admin.js';
import { keys } from '../src/adapters/redis/keys.js';
import { snowflakeTime } from '../src/domain/snowflake.js';
import { processedByGroup } from './harness/consumed.js';
import { eventually } from './harness/poll.js';
import { sideEffects } from './harness/side-effects.js';
import { relate } from './harness/social.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';
import { subscribe } from './harness/ws-client.js';

interface Edge {
  cursor: string;
  node: { id: string; repostCount: number; author: { handle: string } };
  repostedBy: { handle: string } | null;
}
interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const HOME = `query($first: Int, $after: String) { homeTimeline(first: $first, after: $after) {
  edges { cursor node { id repostCount author { handle } } repostedBy { handle } } pageInfo { hasNextPage endCursor } } }`;

describe('reposts', () => {
  let t: TestApp;
  let direct: Redis;
  let admin: KafkaAdmin;
  beforeAll(async () => {
    t = await startTestApp();
    direct = new Redis(t.redis.url);
    admin = createKafkaAdmin(t.app.kafka);
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
    direct?.disconnect();
    await t?.stop();
  });

  const repostRaw = (user: SignedIn, id: string, mutation: 'repost' | 'unrepost' = 'repost') =>
    t.gql<Record<string, { id: string; repostCount: number }>>(`mutation($id: ID!) { ${mutation}(id: $id) { id repostCount } }`, { id }, user.token);
  async function repost(user: SignedIn, id: string, mutation: 'repost' | 'unrepost' = 'repost'): Promise<number> {
    const res = await repostRaw(user, id, mutation);
    if (!res.data?.[mutation]) throw new Error(`${mutation} failed: ${JSON.stringify(res.errors)}`);
    return res.data[mutation].repostCount;
  }
  async function home(user: SignedIn, first = 50, after?: string): Promise<Page> {
    const res = await t.gql<{ homeTimeline: Page }>(HOME, { first, after }, user.token);
    if (!res.data?.homeTimeline) throw new Error(`homeTimeline failed: ${JSON.stringify(res.errors)}`);
    return res.data.homeTimeline;
  }
  const shown = (page: Page) => page.edges.map((e) => [e.node.id, e.repostedBy?.handle ?? null]);
  /** Waits until the fanout group has handled every message produced to `tweets` so far (reposts included). */
  async function settled(): Promise<void> {
    const produced = (await admin.topicOffsets(t.topic('tweets'))).reduce((sum, p) => sum + Number(p.high), 0);
    await eventually(
      () => processedByGroup(t),
      (seen) => (seen.fanout ?? 0) >= produced && (seen['notifications-tweets'] ?? 0) >= produced,
      { what: `fanout and notifications-tweets through all ${produced} tweets messages` },
    );
  }
  async function stored(id: string, viewer?: SignedIn): Promise<void> {
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id }, viewer?.token), (r) => r.data?.tweet?.id === id, {
      what: `tweet ${id} stored`,
    });
  }

  async function repostNotification(user: SignedIn): Promise<{ actorCount: number; actors: { handle: string }[] } | undefined> {
    const res = await t.gql<{ notifications: { edges: { node: { kind: string; actorCount: number; actors: { handle: string }[] } }[] } }>(
      '{ notifications { edges { node { kind actorCount actors { handle } } } } }',
      {},
      user.token,
    );
    return res.data?.notifications.edges.find((e) => e.node.kind === 'REPOST')?.node;
  }

  it('shows a tweet reposted by two followees once, naming the first; keeps it through the other after one unreposts; retracts it after both', async () => {
    const author = await signUp(t, 'author');
    const bob = await signUp(t, 'bob');
    const carol = await signUp(t, 'carol');
    const reader = await signUp(t, 'reader');
    await follow(t, reader, bob.handle);
    await follow(t, reader, carol.handle);
    const tweet = await postTweet(t, author, 'a tweet worth spreading');
    await stored(tweet);

    expect(await repost(bob, tweet)).toBe(1);
    const page = await eventually(() => home(reader), (p) => p.edges.length > 0, { what: 'the repost in the reader timeline' });
    const firstPlace = await direct.zscore(keys.homeTimeline(reader.id), tweet);
    expect(await repost(carol, tweet)).toBe(2);
    // Reposting again is a no-op that answers the tweet.
    expect(await repost(bob, tweet)).toBe(2);
    await settled();
    // The second reposter's fan-out neither moved nor repeated the entry.
    expect(await direct.zscore(keys.homeTimeline(reader.id), tweet)).toBe(firstPlace);
    const after = await home(reader);
    expect(shown(after)).toEqual([[tweet, bob.handle]]);
    expect(after.edges[0]!.node.repostCount).toBe(2);
    expect(after.edges[0]!.node.author.handle).toBe(author.handle);
    expect(page.edges[0]!.node.id).toBe(tweet);
    // At the first repost's time, in the reader's timeline once.
    const score = Number(await direct.zscore(keys.homeTimeline(reader.id), tweet));
    expect(score).toBeGreaterThan(snowflakeTime(tweet));
    expect(await direct.zcard(keys.homeTimeline(reader.id))).toBe(1);
    // The author's own timeline does not get it twice; the reposters' do not get it at all.
    expect(await direct.zscore(keys.homeTimeline(author.id), tweet)).toBe(String(snowflakeTime(tweet)));
    expect(await direct.zscore(keys.homeTimeline(bob.id), tweet)).toBeNull();

    // The author is told, grouped: both reposters in one REPOST notification.
    await eventually(() => repostNotification(author), (n) => n?.actorCount === 2, { what: "the author's REPOST notification of two" });

    expect(await repost(bob, tweet, 'unrepost')).toBe(1);
    expect(await repost(bob, tweet, 'unrepost')).toBe(1);
    await eventually(() => repostNotification(author), (n) => n?.actorCount === 1, { what: 'the unreposter out of the notification' });
    expect(shown(await home(reader))).toEqual([[tweet, carol.handle]]);
    expect(await repost(carol, tweet, 'unrepost')).toBe(0);
    const retracted = await home(reader);
    expect(retracted.edges).toEqual([]);
    // The page still ends past what it left out, so paging goes on.
    expect(retracted.pageInfo.endCursor).not.toBeNull();
    await settled();
    expect((await home(reader)).edges).toEqual([]);
  });

  it('does not repeat or move a tweet already there as an original', async () => {
    const author = await signUp(t, 'oauthor');
    const bob = await signUp(t, 'obob');
    const reader = await signUp(t, 'oreader');
    await follow(t, reader, author.handle);
    await follow(t, reader, bob.handle);
    const first = await postTweet(t, author, 'the first one');
    const second = await postTweet(t, author, 'the second one');
    await eventually(() => home(reader), (p) => p.edges.length === 2, { what: 'both originals in the timeline' });
    await repost(bob, first);
    await settled();
    const page = await home(reader);
    expect(shown(page)).toEqual([
      [second, null],
      [first, null],
    ]);
    expect(page.edges[1]!.node.repostCount).toBe(1);
    expect(await direct.zscore(keys.homeTimeline(reader.id), first)).toBe(String(snowflakeTime(first)));

    // A follower of the author is not sent reposts of the author's tweets at all (they have the
    // original, or merge it at read time from a celebrity), even once the original is trimmed away.
    const third = await postTweet(t, author, 'the third one');
    await eventually(() => home(reader), (p) => p.edges.length === 3, { what: 'the third original in the timeline' });
    await direct.zrem(keys.homeTimeline(reader.id), third);
    await repost(bob, third);
    await settled();
    expect(await direct.zscore(keys.homeTimeline(reader.id), third)).toBeNull();
  });

  it("leaves out a muted reposter's reposts, and those of an author the reader blocked", async () => {
    const author = await signUp(t, 'mauthor');
    const bob = await signUp(t, 'mbob');
    const mutedBefore = await signUp(t, 'mbefore');
    const mutedAfter = await signUp(t, 'mafter');
    const blocksAuthor = await signUp(t, 'mblock');
    const plain = await signUp(t, 'mplain');
    for (const r of [mutedBefore, mutedAfter, blocksAuthor, plain]) await follow(t, r, bob.handle);
    await relate(t, mutedBefore, 'mute', bob.handle);
    await relate(t, blocksAuthor, 'block', author.handle);
    const tweet = await postTweet(t, author, 'a tweet for the mute test');
    await stored(tweet);
    await repost(bob, tweet);
    await eventually(() => home(plain), (p) => p.edges.length === 1, { what: 'the repost at a plain follower' });
    await settled();
    // Skipped by the fan-out (the relations are older than the repost)…
    expect(await direct.zscore(keys.homeTimeline(mutedBefore.id), tweet)).toBeNull();
    expect(await direct.zscore(keys.homeTimeline(blocksAuthor.id), tweet)).toBeNull();
    expect((await home(mutedBefore)).edges).toEqual([]);
    expect((await home(blocksAuthor)).edges).toEqual([]);
    // …and left out at read time from the next request after a mute.
    expect(shown(await home(mutedAfter))).toEqual([[tweet, bob.handle]]);
    await relate(t, mutedAfter, 'mute', bob.handle);
    expect((await home(mutedAfter)).edges).toEqual([]);
    expect(shown(await home(plain))).toEqual([[tweet, bob.handle]]);
  });

  it("resumes a live home stream with the reposts it missed, named, and without retracted ones", async () => {
    const author = await signUp(t, 'lauthor');
    const bob = await signUp(t, 'lbob');
    const carol = await signUp(t, 'lcarol');
    const reader = await signUp(t, 'lreader');
    await follow(t, reader, bob.handle);
    await follow(t, reader, carol.handle);
    const own = await postTweet(t, bob, "bob's own tweet");
    const page = await eventually(() => home(reader), (p) => p.edges[0]?.node.id === own, { what: "bob's tweet in the reader timeline" });
    const kept = await postTweet(t, author, 'a tweet bob reposts');
    const taken = await postTweet(t, author, 'a tweet carol reposts and takes back');
    await stored(kept);
    await stored(taken);
    await repost(carol, taken);
    await repost(bob, kept);
    await eventually(() => home(reader), (p) => p.edges.length === 3, { what: 'both reposts in the reader timeline' });
    await repost(carol, taken, 'unrepost');
    await settled();

    const live = subscribe(t.url, 'subscription($after: String) { homeTimeline(after: $after) { cursor node { id } repostedBy { handle } } }', {
      token: reader.token,
      variables: { after: page.edges[0]!.cursor },
    });
    try {
      await eventually(async () => live.results.length, (n) => n >= 1, { what: 'the catch-up' });
      const edges = live.results.map((r) => (r.data as { homeTimeline: { node: { id: string }; repostedBy: { handle: string } | null } }).homeTimeline);
      expect(edges.map((e) => [e.node.id, e.repostedBy?.handle ?? null])).toEqual([[kept, bob.handle]]);
    } finally {
      await live.dispose();
    }
  });

  it('refuses hidden, deleted, unknown and malformed tweets and reposts across a block, storing and publishing nothing', async () => {
    const owner = await signUp(t, 'rowner');
    const other = await signUp(t, 'rother');
    const blocker = await signUp(t, 'rblocker');
    const gone = await postTweet(t, owner, 'soon gone');
    const spam = await postTweet(t, owner, 'Free crypto giveaway, buy followers now and click here to win');
    const fine = await postTweet(t, owner, 'a perfectly fine tweet');
    const blockers = await postTweet(t, blocker, 'a tweet by someone who blocks');
    await eventually(
      () => t.gql<{ tweet: { moderation: { flagged: boolean } | null } | null }>('query($id: ID!) { tweet(id: $id) { moderation { flagged } } }', { id: spam }, owner.token),
      (r) => r.data?.tweet?.moderation?.flagged === true,
      { what: 'the spam flagged' },
    );
    await stored(fine);
    await stored(blockers);
    expect((await t.gql('mutation($id: ID!) { deleteTweet(id: $id) }', { id: gone }, owner.token)).errors).toBeUndefined();
    await eventually(() => t.gql<{ tweet: unknown }>('query($id: ID!) { tweet(id: $id) { id } }', { id: gone }), (r) => r.data?.tweet === null, {
      what: 'the deleted tweet gone',
    });
    await relate(t, owner, 'block', other.handle);
    await relate(t, blocker, 'block', owner.handle);
    await settled();

    const cases: { name: string; run: () => Promise<GraphQLResponse>; code: string; message: RegExp }[] = [
      { name: 'unknown', run: () => repostRaw(other, '123456789'), code: 'NOT_FOUND', message: /not found/ },
      { name: 'malformed', run: () => repostRaw(other, 'abc'), code: 'BAD_USER_INPUT', message: /id is not a valid id/ },
      { name: 'malformed unrepost', run: () => repostRaw(other, 'abc', 'unrepost'), code: 'BAD_USER_INPUT', message: /id is not a valid id/ },
      { name: 'deleted', run: () => repostRaw(owner, gone), code: 'NOT_FOUND', message: /deleted/ },
      { name: 'hidden, by someone else', run: () => repostRaw(blocker, spam), code: 'NOT_FOUND', message: /not found/ },
      { name: 'hidden, by its author', run: () => repostRaw(owner, spam), code: 'NOT_FOUND', message: /not found/ },
      { name: 'by someone the author blocked', run: () => repostRaw(other, fine), code: 'BLOCKED', message: /has blocked you/ },
      { name: 'of someone who blocked the reposter', run: () => repostRaw(owner, blockers), code: 'BLOCKED', message: /has blocked you/ },
      { name: 'of someone blocked by the reposter', run: () => repostRaw(blocker, fine), code: 'BLOCKED', message: /unblock them first/ },
      { name: 'signed out', run: () => t.gql('mutation($id: ID!) { repost(id: $id) { id } }', { id: fine }), code: 'UNAUTHENTICATED', message: /sign in/ },
    ];
    for (const c of cases) {
      const before = await sideEffects(t);
      const res = await c.run();
      expect(res.errors?.[0]?.extensions?.code, `${c.name}: ${JSON.stringify(res)}`).toBe(c.code);
      expect(res.errors?.[0]?.message, c.name).toMatch(c.message);
      expect(await sideEffects(t), c.name).toEqual(before);
    }
    // Nothing was recorded for the refused ones; a fine repost by someone outside the blocks is.
    expect(await direct.exists(keys.tweetReposters(fine), keys.tweetReposters(spam), keys.tweetReposters(gone))).toBe(0);
    const outsider = await signUp(t, 'routsider');
    expect(await repost(outsider, fine)).toBe(1);
  });
});
