import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG_VOCABULARY } from '../src/domain/tags/vocabulary.js';
import { eventually } from './harness/poll.js';
import { forYou, likeTweet, notInterested, recordClick, removeTasteTag, setInterests, tagsOf, taste, unlikeTweet, type RankedPage } from './harness/taste.js';
import { startTestApp, type TestApp } from './harness/test-app.js';
import { postTweet, signUp, type SignedIn } from './harness/users.js';

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
];
const GAMING = ['Speedrunning the new platformer on my console tonight', 'Ranked matches in the shooter all weekend, gamers unite'];

const weightOf = (tags: { tag: string; weight: number }[], tag: string) => tags.find((t) => t.tag === tag)?.weight ?? 0;
const ids = (page: RankedPage) => page.edges.map((e) => e.node.id);

async function postTagged(t: TestApp, author: SignedIn, texts: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const text of texts) out.push(await postTweet(t, author, text));
  for (const id of out) await eventually(() => tagsOf(t, id), (tags) => tags.length > 0, { what: `tweet ${id} tagged` });
  return out;
}

/**
 * The signals that steer forYou, through the API on the real broker and Redis: likes,
 * "not interested", removing a tag, choosing interests; and the variety rule.
 */
describe('likes, "not interested", an editable taste, chosen interests, variety', () => {
  let t: TestApp;
  let authors: SignedIn[];
  let sports: string[];
  let cooking: string[];
  let gaming: string[];
  beforeAll(async () => {
    // Lexicon tags: the tests need every tweet's topic tagged for certain.
    t = await startTestApp({ env: { TAGGER_BACKEND: 'lexicon', LIKE_RATE_LIMIT: '8', TASTE_EDIT_RATE_LIMIT: '8' } });
    authors = [];
    for (let i = 0; i < 4; i++) authors.push(await signUp(t, 'author'));
    // Topics spread over the authors, so variety leaves each topic's tweets in the first pages.
    sports = [];
    cooking = [];
    gaming = [];
    for (let i = 0; i < SPORTS.length; i++) sports.push(...(await postTagged(t, authors[i % 3]!, [SPORTS[i]!])));
    for (let i = 0; i < COOKING.length; i++) cooking.push(...(await postTagged(t, authors[(i + 1) % 3]!, [COOKING[i]!])));
    gaming = await postTagged(t, authors[3]!, GAMING);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('likes: idempotent, counted and shown at once, learned above a click, taken back by an unlike', async () => {
    const fan = await signUp(t, 'fan');
    const other = await signUp(t, 'other');
    expect(await likeTweet(t, fan, sports[0]!)).toEqual({ id: sports[0], likeCount: 1, viewerHasLiked: true });
    expect(await likeTweet(t, fan, sports[0]!)).toEqual({ id: sports[0], likeCount: 1, viewerHasLiked: true });
    expect(await likeTweet(t, other, sports[0]!)).toMatchObject({ likeCount: 2 });
    const read = (token?: string) =>
      t.gql<{ tweet: { likeCount: number; viewerHasLiked: boolean } }>('query($id: ID!) { tweet(id: $id) { likeCount viewerHasLiked } }', { id: sports[0] }, token);
    expect((await read(fan.token)).data?.tweet).toEqual({ likeCount: 2, viewerHasLiked: true });
    expect((await read()).data?.tweet).toEqual({ likeCount: 2, viewerHasLiked: false });

    // A like teaches more than a click: TASTE_WEIGHT_LIKE against TASTE_WEIGHT_CLICK per tag.
    await recordClick(t, fan, cooking[0]!);
    const { like, click } = t.config.taste.signalWeights;
    const learned = await eventually(() => taste(t, fan), (w) => weightOf(w, 'sports_fans') > like - 0.01 && weightOf(w, 'foodies') > click - 0.01, {
      what: 'the like and the click learned',
    });
    expect(learned[0]!.tag).toMatch(/^sports_/);

    expect(await unlikeTweet(t, fan, sports[0]!)).toEqual({ id: sports[0], likeCount: 1, viewerHasLiked: false });
    expect(await unlikeTweet(t, fan, sports[0]!)).toMatchObject({ likeCount: 1, viewerHasLiked: false });
    await eventually(() => taste(t, fan), (w) => weightOf(w, 'sports_fans') === 0 && weightOf(w, 'foodies') > 0, { what: 'the like taken back' });
  });

  it('likes: NOT_FOUND for unknown tweets, BAD_USER_INPUT for malformed ids, RATE_LIMITED past the allowance', async () => {
    const eager = await signUp(t, 'eager');
    const unknown = await t.gql('mutation { likeTweet(id: "123456789") { id } }', {}, eager.token);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await t.gql('mutation { unlikeTweet(id: "x") { id } }', {}, eager.token);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const anonymous = await t.gql(`mutation { likeTweet(id: "${sports[1]}") { id } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (let i = 0; i < t.config.taste.likeRateLimitPerMinute; i++) await (i % 2 ? unlikeTweet : likeTweet)(t, eager, sports[1]!);
    const refused = await t.gql<{ likeTweet: unknown }>(`mutation { likeTweet(id: "${sports[1]}") { id } }`, {}, eager.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('"not interested": out of the very next request (later pages of a stored ranking too), then its tags and author weigh less', async () => {
    const reader = await signUp(t, 'picky');
    await recordClick(t, reader, sports[0]!);
    await recordClick(t, reader, cooking[0]!);
    await eventually(() => taste(t, reader), (w) => weightOf(w, 'foodies') > 0.99 && weightOf(w, 'sports_fans') > 0.99, { what: 'two clicks learned' });
    const first = await forYou(t, reader, 1);
    const rest = await forYou(t, reader, 50, first.pageInfo.endCursor!);
    // A cooking tweet the stored ranking has not shown yet.
    const target = rest.edges.find((e) => cooking.includes(e.node.id))!.node.id;

    expect(await notInterested(t, reader, target)).toBe(true);
    expect(await notInterested(t, reader, target)).toBe(true);
    // No consumer in between: the stored ranking and a new one both leave it out at once.
    expect(ids(await forYou(t, reader, 50, first.pageInfo.endCursor!))).not.toContain(target);
    expect(ids(await forYou(t, reader, 50))).not.toContain(target);

    // Then the taste group weighs its tags (TASTE_WEIGHT_NOT_INTERESTED_TAG each) and its author down.
    const { notInterestedTag } = t.config.taste.signalWeights;
    const once = await eventually(() => taste(t, reader, 50), (w) => weightOf(w, 'foodies') < 1 - 0.01, { what: 'not interested learned' });
    expect(weightOf(once, 'foodies')).toBeCloseTo(1 + notInterestedTag, 6);
    // Two more on cooking turn it below zero: cooking leaves the reasons, and sports leads.
    for (const id of cooking.filter((c) => c !== target && c !== cooking[0]).slice(0, 2)) await notInterested(t, reader, id);
    const learned = await eventually(() => taste(t, reader, 50), (w) => weightOf(w, 'foodies') < 0, { what: 'three not interested learned' });
    expect(weightOf(learned, 'sports_fans')).toBeGreaterThan(0);
    const after = await forYou(t, reader, 50);
    expect(sports).toContain(after.edges[0]!.node.id);
    // A "not interested" is never a reason.
    for (const e of after.edges) for (const r of e.reasons) expect(r).not.toMatch(/foodies|food_fanatics/);
    const unknown = await t.gql('mutation { notInterested(tweetId: "123456789") }', {}, reader.token);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('removeTasteTag: gone at once and from reasons, refused outside the vocabulary', async () => {
    const reader = await signUp(t, 'editor');
    await recordClick(t, reader, gaming[0]!);
    await recordClick(t, reader, sports[2]!);
    const tags = await eventually(() => taste(t, reader, 50), (w) => weightOf(w, 'gamers') > 0.99 && w.some((x) => x.tag.startsWith('sports_')), { what: 'clicks learned' });
    const gamingTags = tags.filter((w) => w.tag.startsWith('gamers')).map((w) => w.tag);
    let after: { tag: string }[] = [];
    for (const tag of gamingTags) after = await removeTasteTag(t, reader, tag);
    expect(after.map((w) => w.tag).filter((tag) => tag.startsWith('gamers'))).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    const page = await forYou(t, reader, 50);
    for (const e of page.edges) for (const r of e.reasons) expect(r).not.toMatch(/gamers/);
    expect(page.edges.find((e) => e.reasons.some((r) => /^you clicked 1 tweet about sports_/.test(r)))).toBeDefined();

    const refused = await t.gql('mutation { removeTasteTag(tag: "knitting") { tag } }', {}, reader.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tag' });
    expect(refused.errors?.[0]?.message).toContain(TAG_VOCABULARY.join(', '));
  });

  it('setInterests: a newcomer with no follows and no clicks gets a personal forYou with reasons naming the choice', async () => {
    const newcomer = await signUp(t, 'newcomer');
    const chosen = await setInterests(t, newcomer, ['foodies', 'gamers']);
    expect(chosen).toEqual([
      { tag: 'foodies', weight: t.config.taste.signalWeights.interest },
      { tag: 'gamers', weight: t.config.taste.signalWeights.interest },
    ]);
    const page = await forYou(t, newcomer, 6);
    expect(page.edges.length).toBeGreaterThan(0);
    for (const e of page.edges) expect([...cooking, ...gaming]).toContain(e.node.id);
    expect(page.edges[0]!.reasons[0]).toMatch(/^you chose (foodies|gamers)$/);
    const refused = await t.gql('mutation { setInterests(tags: ["foodies", "basket weaving"]) { tag } }', {}, newcomer.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tags[1]' });
    expect(await setInterests(t, newcomer, [])).toEqual([]);
  });

  it('variety: no author has more than 2 of any 10 consecutive entries, across pages', async () => {
    const prolific = await signUp(t, 'prolific');
    await postTagged(t, prolific, SPORTS);
    const reader = await signUp(t, 'varied');
    await setInterests(t, reader, ['sports_fans']);
    const seen: string[] = [];
    let page = await forYou(t, reader, 4);
    for (;;) {
      seen.push(...page.edges.map((e) => e.node.author.handle));
      if (!page.pageInfo.hasNextPage) break;
      page = await forYou(t, reader, 4, page.pageInfo.endCursor!);
    }
    expect(seen.filter((h) => h === prolific.handle).length).toBeGreaterThanOrEqual(2);
    for (let start = 0; start < seen.length; start++) {
      const window = seen.slice(start, start + 10);
      for (const handle of new Set(window)) expect(window.filter((h) => h === handle).length, `${handle} at ${start}`).toBeLessThanOrEqual(2);
    }
  });
});
