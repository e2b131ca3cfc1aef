import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS } from '../src/consumers/index.js';
import { eventually } from './harness/poll.js';
import { forYou, recordClick, tagsOf, taste } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { follow, postTweet, signUp, type SignedIn } from './harness/users.js';

const SPORTS = [
  'The basketball playoffs tonight were unreal',
  'What a touchdown in the fourth quarter',
  'Our striker scored a hat trick at the stadium',
  'Tennis at Wimbledon: that championship point',
  'Hockey overtime winner, the arena went wild',
  'That quarterback drive to win the league title',
];
const COOKING = [
  'Cooking a spicy curry tonight, recipe below',
  'Baking croissants all morning in my tiny kitchen',
  'The ramen at that new restaurant is so delicious',
  'Homemade pizza recipe with a slow dough',
  'Brunch: pancakes and waffles with berries',
  'Dumplings from the food truck, incredibly tasty',
  'Trying a new pasta recipe with fresh basil',
  'Street food tour: tacos and noodles everywhere',
];

async function postAll(t: TestApp, author: SignedIn, texts: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const text of texts) ids.push(await postTweet(t, author, text));
  return ids;
}

async function waitTagged(t: TestApp, ids: readonly string[], tag: string): Promise<void> {
  for (const id of ids) await eventually(() => tagsOf(t, id), (tags) => tags.includes(tag), { what: `tweet ${id} tagged ${tag}` });
}

const weightOf = (tags: { tag: string; weight: number }[], tag: string) => tags.find((t) => t.tag === tag)?.weight ?? 0;

describe('taste and forYou on the real broker', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('ranks unclicked sports tweets first for a sports clicker, then cooking once cooking clicks pile up', async () => {
    const reader = await signUp(t, 'reader');
    // Two coaches and two chefs: variety lets no author fill more than 2 of 10 places.
    const coaches = [await signUp(t, 'coach'), await signUp(t, 'coach')];
    const chefs = [await signUp(t, 'chef'), await signUp(t, 'chef')];
    const friend = await signUp(t, 'friend');
    await follow(t, reader, friend.handle);
    const sports: string[] = [];
    for (const [i, text] of SPORTS.entries()) sports.push(...(await postAll(t, coaches[[0, 0, 1, 0, 1, 1][i]!]!, [text])));
    const cooking: string[] = [];
    for (const [i, text] of COOKING.entries()) cooking.push(...(await postAll(t, chefs[[0, 0, 0, 1, 1, 0, 1, 1][i]!]!, [text])));
    const friendly = await postAll(t, friend, ['Finished a novel for book club', 'Reading a memoir at the library']);
    const own = await postTweet(t, reader, 'My own basketball take: the playoffs are the best part of the year');
    await waitTagged(t, sports, 'sports_fans');
    await waitTagged(t, cooking, 'foodies');

    for (const id of sports.slice(0, 3)) await recordClick(t, reader, id);
    await eventually(() => taste(t, reader), (tags) => weightOf(tags, 'sports_fans') > 2.99, { what: 'three sports clicks learned' });

    const page = await forYou(t, reader, 10);
    const ids = page.edges.map((e) => e.node.id);
    // The three sports tweets not clicked yet come first, though the reader follows nobody who posts sports.
    expect(new Set(ids.slice(0, 3))).toEqual(new Set(sports.slice(3)));
    expect(page.edges[0]!.reasons[0]).toMatch(/^you clicked 3 tweets about sports_(fans|enthusiasts)$/);
    expect(ids).not.toContain(own);
    for (const clicked of sports.slice(0, 3)) expect(ids).not.toContain(clicked);
    // The followed friend's tweets are still candidates, and say why.
    const fromFriend = page.edges.find((e) => friendly.includes(e.node.id));
    expect(fromFriend?.reasons).toContain(`from @${friend.handle}, whom you follow`);
    // Best first (the authors alternate enough here that variety reorders nothing).
    const scores = page.edges.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    for (const id of cooking.slice(0, 5)) await recordClick(t, reader, id);
    const learned = await eventually(() => taste(t, reader), (tags) => weightOf(tags, 'foodies') > 4.99, { what: 'five cooking clicks learned' });
    expect(learned[0]!.tag).toMatch(/^(foodies|food_fanatics)$/);

    const after = await forYou(t, reader, 10);
    expect(new Set(after.edges.slice(0, 3).map((e) => e.node.id))).toEqual(new Set(cooking.slice(5)));
    expect(after.edges[0]!.reasons[0]).toMatch(/^you clicked 5 tweets about (foodies|food_fanatics)$/);
    // Sports is still liked, just less: the unclicked sports tweets follow.
    expect(new Set(after.edges.slice(3, 6).map((e) => e.node.id))).toEqual(new Set(sports.slice(3)));
  });

  it('counts repeated clicks on one tweet once', async () => {
    const clicker = await signUp(t, 'clicker');
    const author = await signUp(t, 'author');
    const [repeated, sentinel] = await postAll(t, author, [SPORTS[0]!, COOKING[0]!]);
    await waitTagged(t, [repeated!], 'sports_fans');
    await waitTagged(t, [sentinel!], 'foodies');

    for (let i = 0; i < 4; i++) await recordClick(t, clicker, repeated!);
    // Same user, same partition, same order: once the sentinel is learned, the repeats were processed.
    await recordClick(t, clicker, sentinel!);
    const learned = await eventually(() => taste(t, clicker), (tags) => weightOf(tags, 'foodies') > 0.99, { what: 'sentinel click learned' });
    expect(weightOf(learned, 'sports_fans')).toBeCloseTo(1, 3);
  });

  it('lets only the user see their taste', async () => {
    const a = await signUp(t, 'private');
    const b = await signUp(t, 'nosy');
    const res = await t.gql('query($h: String!) { user(handle: $h) { taste { tag } } }', { h: a.handle }, b.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await taste(t, a)).toEqual([]);
  });

  it('without clicks, falls back to the home timeline and recently popular tweets', async () => {
    const newcomer = await signUp(t, 'newcomer');
    const followed = await signUp(t, 'followed');
    const star = await signUp(t, 'star');
    const fans = [await signUp(t, 'fan'), await signUp(t, 'fan')];
    await follow(t, newcomer, followed.handle);
    const [homeTweet] = await postAll(t, followed, ['Repotting my pothos today']);
    const [hit] = await postAll(t, star, ['A bottle of Barolo for the weekend']);
    await waitTagged(t, [hit!], 'wine_connoisseurs');
    for (const fan of fans) await recordClick(t, fan, hit!);

    const page = await eventually(
      () => forYou(t, newcomer, 50),
      (p) => p.edges.some((e) => e.node.id === homeTweet) && p.edges.some((e) => e.node.id === hit && e.reasons.includes('popular right now')),
      { what: 'home and popular tweets in a cold-start forYou' },
    );
    expect(page.edges.find((e) => e.node.id === homeTweet)!.reasons).toContain(`from @${followed.handle}, whom you follow`);
  });

  it('pages through a stored ranking, stable while new tweets arrive', async () => {
    const reader = await signUp(t, 'pager');
    const author = await signUp(t, 'writer');
    const ids = await postAll(t, author, [...SPORTS, ...COOKING.slice(0, 2)]);
    await waitTagged(t, ids.slice(0, SPORTS.length), 'sports_fans');
    await recordClick(t, reader, ids[0]!);
    await eventually(() => taste(t, reader), (tags) => tags.length > 0, { what: 'taste' });

    const page1 = await forYou(t, reader, 3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    // Fresh sports tweets would rank at the very top of a new ranking; the stored one does not change.
    const fresh = await postAll(t, author, SPORTS.slice(0, 3));
    await waitTagged(t, fresh, 'sports_fans');
    const page2 = await forYou(t, reader, 3, page1.pageInfo.endCursor!);
    const seen = [...page1.edges, ...page2.edges].map((e) => e.node.id);
    expect(new Set(seen).size).toBe(6);
    for (const id of fresh) expect(seen).not.toContain(id);
    expect(page2.edges[0]!.score).toBeLessThanOrEqual(page1.edges.at(-1)!.score);
    // The cursor of an edge resumes right after it.
    const fromEdge = await forYou(t, reader, 2, page1.edges[1]!.cursor);
    expect(fromEdge.edges.map((e) => e.node.id)).toEqual([page1.edges[2]!.node.id, page2.edges[0]!.node.id]);
    // A new first page is a new ranking, and includes the fresh tweets.
    const again = await forYou(t, reader, 50);
    for (const id of fresh) expect(again.edges.map((e) => e.node.id)).toContain(id);

    // Someone else's cursor, or one whose ranking expired, reads nothing.
    const other = await signUp(t, 'other');
    const stolen = await t.gql('query($a: String) { forYou(after: $a) { edges { cursor } } }', { a: page1.pageInfo.endCursor }, other.token);
    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(stolen.errors?.[0]?.message).toMatch(/cursor expired, start again/);
  });
});

describe('a click on a tweet not tagged yet', () => {
  let t: TestApp;
  let tagger: TestApp | undefined;
  beforeAll(async () => {
    // Everything but the tagger, so tweets stay untagged until the test starts one.
    t = await startTestApp({ roles: { api: true, consumers: CONSUMER_GROUPS.filter((g) => g !== 'tagger') } });
  });
  afterAll(async () => {
    await tagger?.stop();
    await t?.stop();
  });

  it('is retried until the tagger catches up, not lost', async () => {
    const reader = await signUp(t, 'early');
    const author = await signUp(t, 'author');
    const id = await postTweet(t, author, SPORTS[1]!);
    await eventually(() => t.gql<{ tweet: { id: string } | null }>('query($id: ID!) { tweet(id: $id) { id } }', { id }), (r) => r.data?.tweet?.id === id, {
      what: 'tweet stored',
    });
    expect(await tagsOf(t, id)).toEqual([]);
    await recordClick(t, reader, id);

    const failures = async () => {
      const text = await t.app.metrics.registry.getSingleMetricAsString('timeline_consumer_messages_failed_total');
      return Number(/group="taste"[^}]*} (\d+)/.exec(text)?.[1] ?? 0);
    };
    await eventually(failures, (n) => n >= 1, { what: 'the taste group to defer the click' });
    expect(await taste(t, reader)).toEqual([]);

    tagger = await startTestApp({ sameDeploymentAs: t, roles: { api: false, consumers: ['tagger'] } });
    const learned = await eventually(() => taste(t, reader), (tags) => weightOf(tags, 'sports_fans') > 0.99, { what: 'the deferred click learned', timeoutMs: 60_000 });
    expect(learned.map((w) => w.tag)).toContain('sports_fans');
  });
});
