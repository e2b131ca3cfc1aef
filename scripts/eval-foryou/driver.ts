/**
 * Runs a population through a running service over GraphQL — sign-ups, follows, tweets, clicks
 * drawn from hidden interests, "not interested" on what forYou got wrong, newcomers who only choose
 * interests — and scores `forYou` and the chronological home timeline by precision@k against those
 * interests. Used by `npm run eval:foryou` and by an integration test.
 */
import { drawClicks, isRelevant, type EvalPopulation, type EvalTweet } from '../../scripts/population/eval-population.js';
import { precisionAtK } from '../../scripts/population/generate.js';
import { seededRandom } from '../../scripts/population/prng.js';

export type Gql = <T>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<{ data?: T | null; errors?: unknown[] }>;

export interface EvalOptions {
  clicksPerUser: number;
  /** Share of clicks on a random tweet instead of one of the user's interests. */
  noise: number;
  clickSeed: number;
  k: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** For each wait on the asynchronous consumers. */
  timeoutMs: number;
  /** The service's TASTE_WEIGHT_NOT_INTERESTED_TAG, to know when the taste group has learned every "not interested". */
  notInterestedWeight: number;
  log?: (line: string) => void;
}

export interface EvalResult {
  users: number;
  tweets: number;
  clicks: number;
  /** Mean precision@k of forYou after the clicks. */
  forYou: number;
  /** Mean precision@k of the home timeline, newest first, minus own and clicked tweets (forYou's exclusions). */
  chronological: number;
  /** The same, as the home timeline shows it (own and clicked tweets included). */
  chronologicalRaw: number;
  /** Mean precision@k of forYou before any click (home timeline + popular: nothing learned yet). */
  coldStart: number;
  /** Mean precision@k of forYou after each user said "not interested" in every off-interest tweet of their first k (and the taste group learned it). */
  afterNotInterested: number;
  /** "Not interested" calls made. */
  notInterested: number;
  /** Mean precision@k of forYou for newcomers who only chose their interests (no follows, no clicks). */
  newcomers: number;
  /** Share of tweets the tagger gave at least one tag. */
  tagged: number;
  seconds: number;
}

interface Account {
  token: string;
  id: string;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T>, accept: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function must<T>(gql: Gql, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await gql<T>(query, variables, token);
  if (!res.data || res.errors) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function runForYouEval(gql: Gql, population: EvalPopulation, o: EvalOptions): Promise<EvalResult> {
  const started = Date.now();
  const log = o.log ?? (() => {});
  const { users, follows, tweets } = population;

  log(`signing up ${users.length} users`);
  const accounts = await inBatches(users, o.concurrency, async (u) => {
    const data = await must<{ signUp: { token: string; user: { id: string } } }>(
      gql,
      'mutation($h: String!, $p: String!) { signUp(handle: $h, password: $p) { token user { id } } }',
      { h: u.handle, p: 'correct horse battery' },
    );
    return { token: data.signUp.token, id: data.signUp.user.id } satisfies Account;
  });
  log(`following: ${follows.length} edges`);
  await inBatches(follows, o.concurrency, ([follower, followee]) =>
    must(gql, 'mutation($h: String!) { follow(handle: $h) { id } }', { h: users[followee]!.handle }, accounts[follower]!.token),
  );

  log(`posting ${tweets.length} tweets`);
  const tweetIds: string[] = [];
  // In order, one at a time: posting order is the timelines' order.
  for (const tweet of tweets) {
    const data = await must<{ postTweet: { id: string } }>(gql, 'mutation($t: String!) { postTweet(text: $t) { id } }', { t: tweet.text }, accounts[tweet.author]!.token);
    tweetIds.push(data.postTweet.id);
  }
  const byId = new Map<string, EvalTweet>(tweets.map((t, i) => [tweetIds[i]!, t]));

  log('waiting for tagging and fan-out');
  // Tagged, possibly with nothing: a real text may be about none of the vocabulary.
  const tagCounts = await inBatches(tweetIds, o.concurrency, async (id) => {
    const data = await waitFor(
      `tags of ${id}`,
      o.timeoutMs,
      () => must<{ tweet: { tags: string[]; taggedAt: string | null } | null }>(gql, 'query($id: ID!) { tweet(id: $id) { tags taggedAt } }', { id }),
      (d) => d.tweet?.taggedAt != null,
    );
    return data.tweet!.tags.length;
  });
  const tagCount = new Map(tweetIds.map((id, i) => [id, tagCounts[i]!]));
  const homeQuery = 'query { homeTimeline(first: 100) { edges { node { id } } } }';
  const homeOf = async (i: number) => (await must<{ homeTimeline: { edges: { node: { id: string } }[] } }>(gql, homeQuery, {}, accounts[i]!.token)).homeTimeline.edges.map((e) => e.node.id);
  await inBatches(users, o.concurrency, async (u) => {
    const followees = new Set(follows.filter(([f]) => f === u.index).map(([, e]) => e));
    const expected = Math.min(100, tweets.filter((t) => t.author === u.index || followees.has(t.author)).length);
    await waitFor(`home timeline of ${u.handle}`, o.timeoutMs, () => homeOf(u.index), (ids) => ids.length >= expected);
  });

  const forYouQuery = 'query($first: Int) { forYou(first: $first) { edges { node { id } } } }';
  const forYouOf = async (i: number) => (await must<{ forYou: { edges: { node: { id: string } }[] } }>(gql, forYouQuery, { first: o.k }, accounts[i]!.token)).forYou.edges.map((e) => e.node.id);
  const relevantTo = (i: number) => (id: string) => isRelevant(users[i]!, byId.get(id)!);

  const coldStart = await inBatches(users, o.concurrency, async (u) => precisionAtK(await forYouOf(u.index), relevantTo(u.index), o.k));

  log(`clicking: ${o.clicksPerUser} per user`);
  const rng = seededRandom(o.clickSeed);
  const clicked = users.map((u) => drawClicks(population, u.index, o.clicksPerUser, rng, o.noise).map((t) => tweetIds[t.index]!));
  await inBatches(users, o.concurrency, async (u) => {
    for (const id of clicked[u.index]!) await must(gql, 'mutation($id: ID!) { recordClick(tweetId: $id) }', { id }, accounts[u.index]!.token);
  });

  const tasteSum = async (i: number) =>
    (await must<{ me: { taste: { weight: number }[] } }>(gql, '{ me { taste(first: 50) { weight } } }', {}, accounts[i]!.token)).me.taste.reduce((a, w) => a + w.weight, 0);
  log('waiting for the taste group to learn every click');
  const learnedSums = await inBatches(users, o.concurrency, async (u) => {
    // Each click adds TASTE_WEIGHT_CLICK (1 by default) per tag of its tweet; decay over the run's seconds is negligible.
    const expected = clicked[u.index]!.reduce((sum, id) => sum + tagCount.get(id)!, 0);
    return waitFor(`taste of ${u.handle}`, o.timeoutMs, () => tasteSum(u.index), (sum) => Math.abs(sum - expected) <= 0.001 * Math.max(1, expected));
  });

  log('ranking');
  const scores = await inBatches(users, o.concurrency, async (u) => {
    const mine = new Set(clicked[u.index]);
    const home = await homeOf(u.index);
    const relevant = relevantTo(u.index);
    const filtered = home.filter((id) => byId.get(id)!.author !== u.index && !mine.has(id));
    return {
      forYou: precisionAtK(await forYouOf(u.index), relevant, o.k),
      chronological: precisionAtK(filtered, relevant, o.k),
      chronologicalRaw: precisionAtK(home, relevant, o.k),
    };
  });

  log('"not interested" in every off-interest tweet of each first page');
  const dismissed = await inBatches(users, o.concurrency, async (u) => {
    const relevant = relevantTo(u.index);
    const wrong = (await forYouOf(u.index)).filter((id) => !relevant(id));
    for (const id of wrong) await must(gql, 'mutation($id: ID!) { notInterested(tweetId: $id) }', { id }, accounts[u.index]!.token);
    return wrong;
  });
  const weightOfHide = o.notInterestedWeight;
  await inBatches(users, o.concurrency, async (u) => {
    // Each adds the (negative) weight to every tag of its tweet, all of which were learned or absent, never removed.
    const expected = learnedSums[u.index]! + weightOfHide * dismissed[u.index]!.reduce((sum, id) => sum + tagCount.get(id)!, 0);
    await waitFor(`"not interested" of ${u.handle}`, o.timeoutMs, () => tasteSum(u.index), (sum) => Math.abs(sum - expected) <= 0.001 * Math.max(1, Math.abs(expected)));
  });
  const afterNotInterested = await inBatches(users, o.concurrency, async (u) => precisionAtK(await forYouOf(u.index), relevantTo(u.index), o.k));

  log(`newcomers: ${population.newcomers.length} choosing their interests`);
  const newcomerScores = await inBatches(population.newcomers, o.concurrency, async (u) => {
    const data = await must<{ signUp: { token: string } }>(gql, 'mutation($h: String!, $p: String!) { signUp(handle: $h, password: $p) { token } }', {
      h: u.handle,
      p: 'correct horse battery',
    });
    const token = data.signUp.token;
    const tags = [...new Set(u.interests.flatMap((i) => population.tagsFor(i)))];
    await must(gql, 'mutation($tags: [String!]!) { setInterests(tags: $tags) { tag } }', { tags }, token);
    const page = await must<{ forYou: { edges: { node: { id: string } }[] } }>(gql, forYouQuery, { first: o.k }, token);
    return precisionAtK(
      page.forYou.edges.map((e) => e.node.id),
      (id) => isRelevant(u, byId.get(id)!),
      o.k,
    );
  });

  return {
    users: users.length,
    tweets: tweets.length,
    clicks: clicked.reduce((a, c) => a + c.length, 0),
    afterNotInterested: meanOf(afterNotInterested),
    notInterested: dismissed.reduce((a, d) => a + d.length, 0),
    newcomers: meanOf(newcomerScores),
    tagged: tagCounts.filter((n) => n > 0).length / Math.max(1, tagCounts.length),
    forYou: meanOf(scores.map((s) => s.forYou)),
    chronological: meanOf(scores.map((s) => s.chronological)),
    chronologicalRaw: meanOf(scores.map((s) => s.chronologicalRaw)),
    coldStart: meanOf(coldStart),
    seconds: (Date.now() - started) / 1000,
  };
}
