import { describe, expect, it } from 'vitest';
import { tagWithLexicon } from '../../src/domain/tags/lexicon-tagger.js';
import { drawClicks, fromSynthetic, isRelevant } from './eval-population.js';
import { generatePopulation, precisionAtK, TOPICS, type PopulationOptions } from './generate.js';
import { seededRandom } from './prng.js';

const options: PopulationOptions = {
  seed: 7,
  handlePrefix: 'syn',
  users: 40,
  interestsPerUser: 2,
  tweetsPerUser: 5,
  followsPerUser: 8,
  homophily: 0.1,
  offTopicShare: 0.1,
};

describe('synthetic population', () => {
  it('is deterministic for a seed and different for another', () => {
    expect(generatePopulation(options)).toEqual(generatePopulation(options));
    expect(generatePopulation({ ...options, seed: 8 }).tweets).not.toEqual(generatePopulation(options).tweets);
  });

  it('has the requested shape: interests, follows without self or repeats, tweets per user', () => {
    const p = generatePopulation(options);
    expect(p.users).toHaveLength(40);
    for (const u of p.users) {
      expect(new Set(u.interests).size).toBe(2);
      expect(u.interests.every((i) => TOPICS.includes(i))).toBe(true);
      expect(p.tweets.filter((t) => t.author === u.index)).toHaveLength(5);
      const followees = p.follows.filter(([f]) => f === u.index).map(([, e]) => e);
      expect(new Set(followees).size).toBe(8);
      expect(followees).not.toContain(u.index);
    }
  });

  it('writes tweets mostly on their authors’ interests', () => {
    const p = fromSynthetic(generatePopulation(options), 0, 1);
    const onTopic = p.tweets.filter((t) => isRelevant(p.users[t.author]!, t)).length / p.tweets.length;
    expect(onTopic).toBeGreaterThan(0.8);
  });

  it('writes text the offline tagger tags with the topic it was written from', () => {
    const p = generatePopulation({ ...options, users: 200 });
    const agree = p.tweets.filter((t) => tagWithLexicon(t.text).includes(t.topic)).length;
    expect(agree / p.tweets.length).toBeGreaterThanOrEqual(0.99);
  });

  it('draws clicks from hidden interests: distinct, never own, relevant but for the noise', () => {
    const p = fromSynthetic(generatePopulation(options), 0, 1);
    const rng = seededRandom(1);
    let relevant = 0;
    let total = 0;
    for (const u of p.users) {
      const clicks = drawClicks(p, u.index, 10, rng, 0.1);
      expect(clicks).toHaveLength(10);
      expect(new Set(clicks.map((c) => c.index)).size).toBe(10);
      expect(clicks.every((c) => c.author !== u.index)).toBe(true);
      relevant += clicks.filter((c) => isRelevant(u, c)).length;
      total += clicks.length;
    }
    expect(relevant / total).toBeGreaterThan(0.85);
  });

  it('scores precision@k, counting a short list’s gaps as misses', () => {
    expect(precisionAtK([1, 2, 3, 4], (n) => n % 2 === 0, 4)).toBe(0.5);
    expect(precisionAtK([2, 4], (n) => n % 2 === 0, 4)).toBe(0.5);
    expect(precisionAtK([2, 4, 6, 8, 10], (n) => n % 2 === 0, 2)).toBe(1);
  });
});
