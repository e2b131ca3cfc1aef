import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTag } from '../../src/domain/tags/vocabulary.js';
import { drawClicks, fromSynthetic, isRelevant, realTextPopulation, tagsForTopic, type LabelledText } from './eval-population.js';
import { generatePopulation } from './generate.js';
import { seededRandom } from './prng.js';

/** The 30 hand-written TweetTopic-style tweets the tagger's eval test uses, standing in for the real corpus. */
const texts = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/tagger/topic-tweets.json'), 'utf8')) as LabelledText[];
const options = { seed: 3, handlePrefix: 'rt', users: 12, newcomers: 4, interestsPerUser: 2, followsPerUser: 3, homophily: 0.2, minTextsPerTopic: 2 };

describe('the real-text population', () => {
  it('makes labelled topics the hidden interests, and has each text posted by someone who cares about it', () => {
    const p = realTextPopulation(texts, options);
    expect(p.tweets).toHaveLength(texts.length);
    expect(p.users).toHaveLength(12);
    expect(p.newcomers).toHaveLength(4);
    for (const u of [...p.users, ...p.newcomers]) {
      expect(u.interests).toHaveLength(2);
      for (const i of u.interests) expect(tagsForTopic(i).length).toBeGreaterThan(0);
    }
    const posters = p.tweets.filter((t) => p.users.some((u) => isRelevant(u, t)));
    for (const t of posters) expect(isRelevant(p.users[t.author]!, t)).toBe(true);
    expect(new Set(p.follows.map(([a, b]) => `${a}-${b}`)).size).toBe(p.follows.length);
    expect(p.follows.every(([a, b]) => a !== b)).toBe(true);
    // Deterministic.
    expect(realTextPopulation(texts, options)).toEqual(realTextPopulation(texts, options));
  });

  it('chooses vocabulary tags for a topic: the first tag of its first two groups', () => {
    expect(tagsForTopic('sports')).toEqual(['sports_fans', 'cycling_enthusiasts']);
    expect(tagsForTopic('food_&_dining')).toEqual(['foodies', 'wine_connoisseurs']);
    expect(tagsForTopic('news_&_social_concern')).toEqual([]);
    for (const topic of ['music', 'gaming', 'travel_&_adventure']) for (const tag of tagsForTopic(topic)) expect(isTag(tag)).toBe(true);
  });

  it('draws clicks from the interests, never the clicker’s own tweets, none twice', () => {
    const p = realTextPopulation(texts, options);
    const available = p.tweets.filter((t) => t.author !== 0 && isRelevant(p.users[0]!, t)).length;
    expect(available).toBeGreaterThan(0);
    const clicks = drawClicks(p, 0, Math.min(4, available), seededRandom(1), 0);
    expect(new Set(clicks.map((t) => t.index)).size).toBe(clicks.length);
    for (const t of clicks) {
      expect(t.author).not.toBe(0);
      expect(isRelevant(p.users[0]!, t)).toBe(true);
    }
  });

  it('sees the templated population the same way: a tweet’s topic is its tag', () => {
    const generated = generatePopulation({ seed: 1, handlePrefix: 'tp', users: 6, interestsPerUser: 2, tweetsPerUser: 2, followsPerUser: 2, homophily: 0, offTopicShare: 0 });
    const p = fromSynthetic(generated, 3, 2);
    expect(p.tweets.map((t) => t.topics)).toEqual(generated.tweets.map((t) => [t.topic]));
    expect(p.newcomers.map((u) => u.handle)).toEqual(['tpn0', 'tpn1', 'tpn2']);
    expect(p.tagsFor('foodies')).toEqual(['foodies']);
  });
});
