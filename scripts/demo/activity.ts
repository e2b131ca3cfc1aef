/**
 * The demo's steady trickle: at each tick one member of the cast does one thing through the public
 * GraphQL API (posts, follows, clicks, likes). What can happen is the `DEMO_ACTIONS` table; an action is a
 * function of the world, so a new kind of activity is one more row.
 */
import { TOPICS, writeTweet } from '../population/generate.js';
import { seededRandom, type Random } from '../population/prng.js';
import { must, type Gql } from '../lib/graphql-http.js';
import type { DemoAccount, DemoCast, DemoTweet } from './cast.js';

/** What an action sees: the API, the cast, a random source and the recent tweets it can act on. */
export interface DemoWorld {
  gql: Gql;
  cast: DemoCast;
  rng: Random;
  /** The population's recent tweets, oldest first, at most RECENT_TWEETS. */
  recent: DemoTweet[];
}

/** What one action did, for the log and for tests. */
export interface ActionOutcome {
  actor: string;
  /** The tweet posted or acted on. */
  tweetId?: string;
  /** A posted tweet's text. */
  text?: string;
  /** Whom a follow was of. */
  followee?: string;
  /** Nothing to act on yet: the tick did nothing. */
  skipped?: true;
}

export type DemoAction = (world: DemoWorld) => Promise<ActionOutcome>;

export interface WeightedAction {
  name: string;
  /** Relative frequency among the actions. */
  weight: number;
  run: DemoAction;
}

const RECENT_TWEETS = 200;
/** Share of posts by people the demo user follows: most of the trickle shows in its live timeline. */
const FOLLOWED_POSTER_SHARE = 0.6;
/** Share of posts on one of the author's interests (the rest on any topic). */
const ON_INTEREST_SHARE = 0.9;

function anyone(world: DemoWorld): DemoAccount {
  return world.rng.pick(world.cast.users);
}

/** A tweet in the author's voice; it joins the recent tweets others act on. */
export const postTweet: DemoAction = async (world) => {
  const { cast, rng } = world;
  const followed = [...cast.followedByYou];
  const author = rng.next() < FOLLOWED_POSTER_SHARE && followed.length > 0 ? cast.users[rng.pick(followed)]! : anyone(world);
  const topic = rng.next() < ON_INTEREST_SHARE ? rng.pick(author.interests) : rng.pick(TOPICS);
  const text = writeTweet(rng, topic);
  const { postTweet: posted } = await must<{ postTweet: { id: string } }>(world.gql, 'mutation($t: String!) { postTweet(text: $t) { id } }', { t: text }, author.token);
  world.recent.push({ id: posted.id, author: author.index, topics: [topic] });
  if (world.recent.length > RECENT_TWEETS) world.recent.splice(0, world.recent.length - RECENT_TWEETS);
  return { actor: author.handle, tweetId: posted.id, text };
};

/** Someone follows someone else (idempotent: an existing follow changes nothing). */
export const followSomeone: DemoAction = async (world) => {
  const follower = anyone(world);
  const followee = world.rng.pick(world.cast.users.filter((u) => u.index !== follower.index));
  await must(world.gql, 'mutation($h: String!) { follow(handle: $h) { id } }', { h: followee.handle }, follower.token);
  return { actor: follower.handle, followee: followee.handle };
};

/**
 * An action on a recent tweet by someone else, one on the actor's interests when there is one:
 * `mutation` takes the tweet's id as `$id`. Clicks and likes are this.
 */
export function onRecentTweet(mutation: string): DemoAction {
  return async (world) => {
    const actor = anyone(world);
    const others = world.recent.filter((t) => t.author !== actor.index);
    if (others.length === 0) return { actor: actor.handle, skipped: true };
    const liked = others.filter((t) => t.topics.some((topic) => actor.interests.includes(topic)));
    const tweet = world.rng.pick(liked.length > 0 ? liked : others);
    await must(world.gql, mutation, { id: tweet.id }, actor.token);
    return { actor: actor.handle, tweetId: tweet.id };
  };
}

/** What the trickle does, and how often relative to each other. */
export const DEMO_ACTIONS: readonly WeightedAction[] = [
  { name: 'post', weight: 5, run: postTweet },
  { name: 'follow', weight: 1, run: followSomeone },
  { name: 'click', weight: 4, run: onRecentTweet('mutation($id: ID!) { recordClick(tweetId: $id) }') },
  { name: 'like', weight: 3, run: onRecentTweet('mutation($id: ID!) { likeTweet(id: $id) { id } }') },
];

export type TickResult = ({ ok: true } & ActionOutcome & { action: string }) | { ok: false; action: string; error: string };

export interface Activity {
  /** One action, chosen by weight. Never throws: a refused or failed request is a failed tick. */
  tick(): Promise<TickResult>;
  /** Actions done so far, by name (failed and skipped ticks not counted). */
  readonly counts: Readonly<Record<string, number>>;
  readonly failures: number;
}

/** The trickle over `cast` (see the module comment). Deterministic choices for a given seed. */
export function createActivity(gql: Gql, cast: DemoCast, options: { seed: number; actions?: readonly WeightedAction[] }): Activity {
  const actions = options.actions ?? DEMO_ACTIONS;
  const totalWeight = actions.reduce((sum, a) => sum + a.weight, 0);
  const world: DemoWorld = { gql, cast, rng: seededRandom(options.seed), recent: cast.tweets.slice(-RECENT_TWEETS) };
  const counts: Record<string, number> = Object.fromEntries(actions.map((a) => [a.name, 0]));
  let failures = 0;

  const choose = (): WeightedAction => {
    let x = world.rng.next() * totalWeight;
    for (const action of actions) {
      x -= action.weight;
      if (x < 0) return action;
    }
    return actions[actions.length - 1]!;
  };

  return {
    async tick() {
      const action = choose();
      try {
        const outcome = await action.run(world);
        if (!outcome.skipped) counts[action.name]!++;
        return { ok: true, action: action.name, ...outcome };
      } catch (err) {
        failures++;
        return { ok: false, action: action.name, error: err instanceof Error ? err.message : String(err) };
      }
    },
    counts,
    get failures() {
      return failures;
    },
  };
}
