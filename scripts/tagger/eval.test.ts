import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { taggerModelFile } from '../../src/adapters/offline/model-files.js';
import { createModelTagger } from '../../src/domain/tags/model-tagger.js';
import { isTag } from '../../src/domain/tags/vocabulary.js';
import { handWrittenRows, readHandWritten, readTopicFixture, topicScores } from './eval.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/tagger/${name}`, import.meta.url));

/**
 * The eval of `npm run eval:tagger`, on the committed fixtures only (the public corpora are not
 * committed). Floors sit a little under what the shipped model scores, so a worse model fails.
 */
describe('the shipped offline tagger on the fixtures', () => {
  const model = createModelTagger(taggerModelFile());
  const tag = (text: string) => model.tag(text);

  it('loads a model with provenance, and answers only vocabulary tags, at most five, best first', () => {
    expect(taggerModelFile().provenance).toMatchObject({ decisionTunedOn: expect.stringContaining('TweetTopicXL') });
    for (const text of ['Marathon training done, legs are jelly #running', 'Ranking every Pixar movie from worst to best', '🍕🍕🍕']) {
      const tags = tag(text);
      expect(tags.length).toBeLessThanOrEqual(5);
      expect(tags.every(isTag)).toBe(true);
      expect(new Set(tags).size).toBe(tags.length);
    }
  });

  it('gives a tweet about nothing no tags', () => {
    for (const text of ['ok see you later then', 'lol same', 'why is it already thursday']) expect(tag(text), text).toEqual([]);
  });

  it('finds a right topic for most topical tweets of the TweetTopic-style fixture', () => {
    const scores = topicScores(tag, readTopicFixture(fixture('topic-tweets.json')));
    expect(scores.anyCorrect).toBeGreaterThanOrEqual(0.7);
    expect(scores.f1).toBeGreaterThanOrEqual(0.65);
  });

  it('keeps its held-out score on the hand-written tweets', () => {
    const [, holdout] = handWrittenRows('offline', tag, readHandWritten(fixture('labeled-tweets.json')));
    expect(holdout!.f1).toBeGreaterThanOrEqual(0.55);
    expect(holdout!.anyCorrect).toBeGreaterThanOrEqual(0.6);
  });
});
