/**
 * The demo's people, set up through the public GraphQL API only: a synthetic population
 * (scripts/population/) signs up, follows and posts, and one demo user for a person to sign in
 * as follows many of them and clicks a few tweets, so its home timeline fills and forYou has
 * reasons. Safe to repeat against the same service: taken handles log in instead, follows are
 * idempotent, and only new accounts post their first tweets.
 */
import { generatePopulation, TOPICS, writeTweet } from '../population/generate.js';
import { seededRandom } from '../population/prng.js';
import type { Tag } from '../../src/domain/tags/vocabulary.js';
import { GqlRequestError, must, type Gql } from '../lib/graphql-http.js';

export interface CastOptions {
  /** Synthetic users (handles `<handlePrefix>0` …). */
  users: number;
  handlePrefix: string;
  /** Their password (synthetic accounts only). */
  password: string;
  seed: number;
  followsPerUser: number;
  /** Tweets each new account posts while the cast is set up. */
  tweetsPerUser: number;
  /** The account a person signs in as. */
  you: { handle: string; password: string };
  /** How many of the population the demo user follows (those sharing its interests first). */
  youFollow: number;
  /** Clicks the demo user makes on tweets of its interests, so forYou knows its taste. */
  youClicks: number;
  /** Requests in flight at once while setting up. */
  concurrency: number;
  log?: (line: string) => void;
}

export interface DemoAccount {
  /** Index in `DemoCast.users`; -1 for the demo user. */
  index: number;
  id: string;
  handle: string;
  token: string;
  /** Hidden interests: what this account posts and clicks about. */
  interests: readonly Tag[];
}

export interface DemoTweet {
  id: string;
  /** Author's index in `DemoCast.users`. */
  author: number;
  /** What it is about, when known (tweets found from an earlier run are known by their tags). */
  topics: readonly Tag[];
}

export interface DemoCast {
  users: DemoAccount[];
  you: DemoAccount & { password: string };
  /** Indices of the users the demo user follows. */
  followedByYou: ReadonlySet<number>;
  /** Tweets of the population known so far, oldest first. */
  tweets: DemoTweet[];
  /** What this set-up created (a repeat creates less). */
  created: { users: number; follows: number; tweets: number; clicks: number };
}

const SIGN_UP = 'mutation($h: String!, $p: String!) { signUp(handle: $h, password: $p) { token user { id } } }';
const LOG_IN = 'mutation($h: String!, $p: String!) { logIn(handle: $h, password: $p) { token user { id } } }';
const FOLLOW = 'mutation($h: String!) { follow(handle: $h) { id } }';
const POST = 'mutation($t: String!) { postTweet(text: $t) { id } }';
const CLICK = 'mutation($id: ID!) { recordClick(tweetId: $id) }';
const RECENT_TWEETS = 'query($h: String!) { user(handle: $h) { tweets(first: 3) { edges { node { id tags } } } } }';

type Auth = { token: string; user: { id: string } };

/** Signs up, or logs in when the handle is taken (a repeated demo). `created` says which. */
async function enter(gql: Gql, handle: string, password: string): Promise<{ id: string; token: string; created: boolean }> {
  try {
    const { signUp } = await must<{ signUp: Auth }>(gql, SIGN_UP, { h: handle, p: password });
    return { id: signUp.user.id, token: signUp.token, created: true };
  } catch (err) {
    if (!(err instanceof GqlRequestError && err.code === 'BAD_USER_INPUT' && /taken/.test(err.message))) throw err;
    const { logIn } = await must<{ logIn: Auth }>(gql, LOG_IN, { h: handle, p: password });
    return { id: logIn.user.id, token: logIn.token, created: false };
  }
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

/** Sets the cast up (see the module comment). Throws GqlRequestError if the API refuses a step. */
export async function castDemo(gql: Gql, o: CastOptions): Promise<DemoCast> {
  const log = o.log ?? (() => {});
  const population = generatePopulation({
    seed: o.seed,
    handlePrefix: o.handlePrefix,
    users: o.users,
    interestsPerUser: 2,
    tweetsPerUser: o.tweetsPerUser,
    followsPerUser: o.followsPerUser,
    homophily: 0.5,
    offTopicShare: 0.1,
  });
  const rng = seededRandom(o.seed + 1);
  const created = { users: 0, follows: 0, tweets: 0, clicks: 0 };

  const entered = await inBatches(population.users, o.concurrency, (u) => enter(gql, u.handle, o.password));
  const users: DemoAccount[] = population.users.map((u, i) => ({ index: i, id: entered[i]!.id, handle: u.handle, token: entered[i]!.token, interests: u.interests }));
  created.users = entered.filter((e) => e.created).length;
  log(`${users.length} users: ${created.users} signed up, ${users.length - created.users} back from an earlier run`);

  await inBatches(population.follows, o.concurrency, ([follower, followee]) => must(gql, FOLLOW, { h: users[followee]!.handle }, users[follower]!.token));
  created.follows = population.follows.length;

  const tweets: DemoTweet[] = [];
  // Posting order is timeline order: one at a time. Accounts back from an earlier run have posted already.
  for (const tweet of population.tweets) {
    if (!entered[tweet.author]!.created) continue;
    const { postTweet } = await must<{ postTweet: { id: string } }>(gql, POST, { t: tweet.text }, users[tweet.author]!.token);
    tweets.push({ id: postTweet.id, author: tweet.author, topics: [tweet.topic] });
    created.tweets++;
  }
  const returning = users.filter((u) => !entered[u.index]!.created);
  const found = await inBatches(returning, o.concurrency, async (u) => {
    const data = await must<{ user: { tweets: { edges: { node: { id: string; tags: Tag[] } }[] } } | null }>(gql, RECENT_TWEETS, { h: u.handle });
    return (data.user?.tweets.edges ?? []).map((e) => ({ id: e.node.id, author: u.index, topics: e.node.tags }));
  });
  tweets.unshift(...found.flat());
  log(`${population.follows.length} follows among them; ${created.tweets} tweets posted now, ${tweets.length - created.tweets} found from before`);

  const youInterests = rng.sample(TOPICS, 2);
  const youEntered = await enter(gql, o.you.handle, o.you.password);
  const you = { index: -1, id: youEntered.id, handle: o.you.handle, token: youEntered.token, interests: youInterests, password: o.you.password };
  const alike = users.filter((u) => u.interests.some((i) => youInterests.includes(i)));
  const others = users.filter((u) => !alike.includes(u));
  const followed = [...rng.shuffle(alike), ...rng.shuffle(others)].slice(0, o.youFollow);
  await inBatches(followed, o.concurrency, (u) => must(gql, FOLLOW, { h: u.handle }, you.token));
  const onYourInterests = tweets.filter((t) => t.topics.some((topic) => youInterests.includes(topic)));
  for (const tweet of rng.sample(onYourInterests, o.youClicks)) {
    await must(gql, CLICK, { id: tweet.id }, you.token);
    created.clicks++;
  }
  // The demo user's own first tweet, so its timeline is never empty.
  if (youEntered.created) {
    await must(gql, POST, { t: writeTweet(rng, youInterests[0]!) }, you.token);
  }
  log(`demo user "${you.handle}" follows ${followed.length} of them and clicked ${created.clicks} tweets on ${youInterests.join(' and ')}`);
  return { users, you, followedByYou: new Set(followed.map((u) => u.index)), tweets, created };
}
