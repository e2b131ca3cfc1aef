/**
 * What the forYou evaluation runs: users with hidden interests, a follow graph, tweets labelled
 * with ground-truth topics, and newcomers who only choose interests. Two sources: the templated
 * synthetic population (generate.ts; a topic is a tag) and real human-labelled texts (TweetTopic
 * topics mapped onto the vocabulary).
 */
import { TAG_GROUPS, type TagGroupId } from '../../src/domain/tags/tag-groups.js';
import { TWEET_TOPIC_SCORING } from '../tagger/label-maps.js';
import type { Population } from './generate.js';
import { seededRandom, type Random } from './prng.js';

export interface EvalUser {
  index: number;
  handle: string;
  /** Hidden from the service: only the evaluation knows them. */
  interests: readonly string[];
}

export interface EvalTweet {
  index: number;
  author: number;
  text: string;
  /** Ground truth: a tweet serves a user who has one of these among their interests. */
  topics: readonly string[];
}

export interface EvalPopulation {
  name: string;
  users: EvalUser[];
  /** [follower, followee] indices into `users`. */
  follows: [number, number][];
  /** In posting order. */
  tweets: EvalTweet[];
  /** Users with interests and nothing else (no follows, tweets or clicks): they only call setInterests. */
  newcomers: EvalUser[];
  /** The vocabulary tags a user with this interest chooses with setInterests. */
  tagsFor(interest: string): string[];
}

export const isRelevant = (user: EvalUser, tweet: EvalTweet) => tweet.topics.some((t) => user.interests.includes(t));

/** The templated population as the evaluation sees it; newcomers are drawn the same way (their interests are tags). */
export function fromSynthetic(p: Population, newcomers: number, seed: number): EvalPopulation {
  const rng = seededRandom(seed);
  const topics = [...new Set(p.tweets.map((t) => t.topic))];
  return {
    name: 'templated',
    users: p.users,
    follows: p.follows,
    tweets: p.tweets.map((t) => ({ index: t.index, author: t.author, text: t.text, topics: [t.topic] })),
    newcomers: Array.from({ length: newcomers }, (_, i) => ({
      index: i,
      handle: `${p.options.handlePrefix}n${i}`,
      interests: rng.sample(topics, p.options.interestsPerUser),
    })),
    tagsFor: (interest) => [interest],
  };
}

export interface LabelledText {
  text: string;
  /** TweetTopic topics (19 names). */
  topics: readonly string[];
}

export interface RealTextOptions {
  seed: number;
  handlePrefix: string;
  users: number;
  newcomers: number;
  interestsPerUser: number;
  followsPerUser: number;
  /** Share of follows among users sharing an interest. */
  homophily: number;
  /** A topic is an interest only with at least this many texts. */
  minTextsPerTopic: number;
}

const FIRST_TAG = new Map<TagGroupId, string>(TAG_GROUPS.map((g) => [g.id, g.tags[0]]));

/**
 * The tags someone interested in a TweetTopic topic would choose: the first tag of each of the
 * first two groups the topic maps onto (sports → sports_fans, cycling_enthusiasts).
 */
export function tagsForTopic(topic: string): string[] {
  return (TWEET_TOPIC_SCORING[topic] ?? []).slice(0, 2).map((g) => FIRST_TAG.get(g)!);
}

/**
 * A population around real labelled texts: interests are the topics with a counterpart in the
 * vocabulary and at least `minTextsPerTopic` texts; each text is posted by a user who has one of
 * its topics among their interests (people post about what they care about), or by anyone when no
 * user has (texts on topics nobody follows are the timeline's noise). Deterministic; pure.
 */
export function realTextPopulation(texts: readonly LabelledText[], o: RealTextOptions): EvalPopulation {
  const rng = seededRandom(o.seed);
  const counts = new Map<string, number>();
  for (const t of texts) for (const topic of t.topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  const eligible = [...counts].filter(([topic, n]) => n >= o.minTextsPerTopic && tagsForTopic(topic).length > 0).map(([topic]) => topic).sort();
  if (eligible.length < o.interestsPerUser) throw new RangeError(`only ${eligible.length} topics have ${o.minTextsPerTopic}+ texts`);
  const draw = (r: Random) => r.sample(eligible, o.interestsPerUser);
  const users: EvalUser[] = Array.from({ length: o.users }, (_, index) => ({ index, handle: `${o.handlePrefix}${index}`, interests: draw(rng) }));
  const newcomers: EvalUser[] = Array.from({ length: o.newcomers }, (_, index) => ({ index, handle: `${o.handlePrefix}n${index}`, interests: draw(rng) }));

  const follows: [number, number][] = [];
  for (const user of users) {
    const others = users.filter((u) => u.index !== user.index);
    const alike = others.filter((u) => u.interests.some((i) => user.interests.includes(i)));
    const chosen = new Set<number>();
    while (chosen.size < Math.min(o.followsPerUser, others.length)) chosen.add(rng.pick(alike.length > 0 && rng.next() < o.homophily ? alike : others).index);
    for (const followee of chosen) follows.push([user.index, followee]);
  }

  const tweets = rng.shuffle(texts).map((t, index) => {
    const posters = users.filter((u) => t.topics.some((topic) => u.interests.includes(topic)));
    return { index, author: rng.pick(posters.length > 0 ? posters : users).index, text: t.text, topics: t.topics };
  });
  return { name: 'real text', users, follows, tweets, newcomers, tagsFor: tagsForTopic };
}

/**
 * Tweets a user clicks: each, with probability 1 − noise, one serving their interests, else any;
 * never their own, never the same twice. Deterministic for a given `rng` state.
 */
export function drawClicks(p: EvalPopulation, userIndex: number, count: number, rng: Random, noise: number): EvalTweet[] {
  const user = p.users[userIndex]!;
  const open = p.tweets.filter((t) => t.author !== userIndex);
  const clicked = new Set<number>();
  const out: EvalTweet[] = [];
  while (out.length < count) {
    const remaining = open.filter((t) => !clicked.has(t.index));
    if (remaining.length === 0) break;
    const relevant = remaining.filter((t) => isRelevant(user, t));
    const tweet = rng.next() < noise || relevant.length === 0 ? rng.pick(remaining) : rng.pick(relevant);
    clicked.add(tweet.index);
    out.push(tweet);
  }
  return out;
}
