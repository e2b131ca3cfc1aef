import type { Tag } from '../../src/domain/tags/vocabulary.js';
import { seededRandom, type Random } from './prng.js';
import { CLOSERS, OPENERS, TOPIC_TEMPLATES } from './templates.js';

/** Knobs of a synthetic population; every field is required so a run states all it assumed. */
export interface PopulationOptions {
  seed: number;
  /** Prefix of every handle (3-15 characters in all with the index), so runs can share a service. */
  handlePrefix: string;
  users: number;
  /** Hidden interests per user, drawn uniformly from the generator's topics. */
  interestsPerUser: number;
  tweetsPerUser: number;
  followsPerUser: number;
  /** Share of follows chosen among users sharing an interest (the rest uniformly at random). */
  homophily: number;
  /** Share of a user's tweets on a topic outside their interests. */
  offTopicShare: number;
}

export interface SyntheticUser {
  index: number;
  handle: string;
  /** Hidden from the service: only the generator and the evaluation know them. */
  interests: Tag[];
}

export interface SyntheticTweet {
  index: number;
  author: number;
  /** Ground truth: the topic the text was written from (the tagger sees only the text). */
  topic: Tag;
  text: string;
}

export interface Population {
  options: PopulationOptions;
  users: SyntheticUser[];
  /** [follower, followee] user indices, no self-follows, no duplicates. */
  follows: [number, number][];
  /** In posting order (authors interleaved). */
  tweets: SyntheticTweet[];
}

/** The topics the generator writes about: the ground-truth tags. */
export const TOPICS: readonly Tag[] = TOPIC_TEMPLATES.map((t) => t.tag);

/** One tweet text on `topic`, from the topic's templates (what the tagger should find). Pure for a given `rng` state. */
export function writeTweet(rng: Random, topic: Tag): string {
  const phrases = TOPIC_TEMPLATES.find((t) => t.tag === topic)!.phrases;
  return `${rng.pick(OPENERS)} ${rng.pick(phrases)}${rng.pick(CLOSERS)}`;
}

/**
 * Users with hidden interests, a follow graph and tweets written from per-topic templates.
 * Deterministic: the same options give the same population. Pure.
 */
export function generatePopulation(options: PopulationOptions): Population {
  const rng = seededRandom(options.seed);
  const users: SyntheticUser[] = Array.from({ length: options.users }, (_, index) => ({
    index,
    handle: `${options.handlePrefix}${index}`,
    interests: rng.sample(TOPICS, options.interestsPerUser),
  }));
  if (users.some((u) => !/^[A-Za-z0-9_]{3,15}$/.test(u.handle))) throw new RangeError('handlePrefix makes handles outside 3-15 of [A-Za-z0-9_]');

  const follows: [number, number][] = [];
  for (const user of users) {
    const others = users.filter((u) => u.index !== user.index);
    const alike = others.filter((u) => u.interests.some((i) => user.interests.includes(i)));
    const chosen = new Set<number>();
    const want = Math.min(options.followsPerUser, others.length);
    while (chosen.size < want) {
      const pool = alike.length > 0 && rng.next() < options.homophily ? alike : others;
      chosen.add(rng.pick(pool).index);
    }
    for (const followee of chosen) follows.push([user.index, followee]);
  }

  const drafts: Omit<SyntheticTweet, 'index'>[] = [];
  for (const user of users) {
    for (let i = 0; i < options.tweetsPerUser; i++) {
      const offTopic = rng.next() < options.offTopicShare;
      const topic = offTopic ? rng.pick(TOPICS.filter((t) => !user.interests.includes(t))) : rng.pick(user.interests);
      drafts.push({ author: user.index, topic, text: writeTweet(rng, topic) });
    }
  }
  const tweets = rng.shuffle(drafts).map((d, index) => ({ ...d, index }));
  return { options, users, follows, tweets };
}

/** Share of the first `k` items that are relevant; a list shorter than k counts its gaps as misses. */
export function precisionAtK<T>(ranked: readonly T[], relevant: (item: T) => boolean, k: number): number {
  return ranked.slice(0, k).filter(relevant).length / k;
}
