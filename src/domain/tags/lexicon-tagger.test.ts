import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateTagger, parseLabeledTweets, type SplitExample } from '../../../scripts/eval-tagger/evaluate.js';
import { stem, tagWithLexicon } from './lexicon-tagger.js';
import { isTag, MAX_TAGS_PER_TWEET } from './vocabulary.js';

const BOOK_CLUB = "Just finished a new novel. Can't wait to talk about it with my book club #nerdalert";
const CHILL = 'Just had an epic chill session with my squad listening to some of our favorite tunes #goodvibesonly';

function fixture(): SplitExample[] {
  const url = new URL('../../../fixtures/tagger/labeled-tweets.json', import.meta.url);
  const parsed = parseLabeledTweets(JSON.parse(readFileSync(url, 'utf8')));
  if (!parsed.ok) throw new Error(`malformed fixture:\n${parsed.errors.join('\n')}`);
  return parsed.examples;
}

describe('tagWithLexicon', () => {
  it('puts bookworms first for the book-club tweet', () => {
    expect(tagWithLexicon(BOOK_CLUB)[0]).toBe('bookworms');
  });

  it('puts a music tag first for the chill-session tweet', () => {
    expect(['music_lovers', 'music_aficionados']).toContain(tagWithLexicon(CHILL)[0]);
  });

  it('scores synonym groups together, ties in vocabulary order', () => {
    expect(tagWithLexicon('Midnight movie premiere at the cinema')).toEqual(['movie_lovers', 'movie_buffs']);
  });

  it('reads hashtags whole, camelCased, snake_cased or glued', () => {
    for (const tag of ['#bookclub', '#BookClub', '#book_club', '#BOOKCLUB']) {
      expect(tagWithLexicon(`tonight ${tag}`), tag).toEqual(['bookworms']);
    }
    expect(tagWithLexicon('#ootd')).toEqual(['fashion_lovers', 'fashion_followers']);
  });

  it('is deterministic', () => {
    const first = tagWithLexicon(BOOK_CLUB);
    for (let i = 0; i < 5; i++) expect(tagWithLexicon(BOOK_CLUB)).toEqual(first);
  });

  it('returns [] for empty, whitespace, link-only and non-topical emoji-only text', () => {
    for (const text of ['', '   ', '😂😂🔥🙏', '✨💯', 'https://t.co/x1 @someone', 'ok']) {
      expect(tagWithLexicon(text), text).toEqual([]);
    }
  });

  it('never returns more than five tags, nor more than asked', () => {
    const everything =
      'My mom, my dog, pizza, football, hiking, my camera, vinyl, the gym, wine, comics, knitting, ' +
      'stocks, my startup, houseplants, a novel and the museum #travel #gaming #vegan';
    expect(tagWithLexicon(everything)).toHaveLength(MAX_TAGS_PER_TWEET);
    expect(tagWithLexicon(everything, { max: 2 })).toHaveLength(2);
    expect(tagWithLexicon(everything, { max: 50 })).toHaveLength(MAX_TAGS_PER_TWEET);
    expect(tagWithLexicon(everything, { max: 0 })).toEqual([]);
  });

  it('only ever returns unique vocabulary tags', () => {
    for (const { text } of fixture()) {
      const tags = tagWithLexicon(text);
      expect(tags.every(isTag)).toBe(true);
      expect(new Set(tags).size).toBe(tags.length);
    }
  });

  it('does not let shared stems cross topics', () => {
    expect(stem('hiking')).toBe(stem('hike'));
    expect(stem('movies')).toBe(stem('movie'));
    expect(stem('care')).not.toBe(stem('car'));
    expect(stem('wine')).not.toBe(stem('winning'));
    expect(tagWithLexicon('New trailer for the sequel just dropped')).not.toContain('outdoor_enthusiasts');
  });
});

describe('lexicon tagger quality on the labelled fixture', () => {
  // The README quotes the holdout score; this keeps that figure from silently rotting.
  it('reaches F1 >= 0.7 on the holdout split', () => {
    const holdout = fixture().filter((e) => e.split === 'holdout');
    const result = evaluateTagger((t) => tagWithLexicon(t), holdout);
    expect(result.examples).toBeGreaterThanOrEqual(90);
    expect(result.f1).toBeGreaterThanOrEqual(0.7);
  });
});

describe('evaluateTagger', () => {
  it('micro-averages over (tweet, tag) pairs and keeps per-tag counts', () => {
    const examples = [
      { text: 'a', tags: ['foodies', 'food_fanatics'] },
      { text: 'b', tags: ['gamers'] },
    ];
    const tagger = (text: string) => (text === 'a' ? (['foodies', 'pet_lovers'] as const) : ([] as const));
    const r = evaluateTagger((t) => [...tagger(t)], examples);
    // tp: foodies; fp: pet_lovers; fn: food_fanatics, gamers.
    expect(r.precision).toBeCloseTo(1 / 2);
    expect(r.recall).toBeCloseTo(1 / 3);
    expect(r.f1).toBeCloseTo(0.4);
    expect(r.examples).toBe(2);
    expect(r.perTag.foodies).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(r.perTag.pet_lovers).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(r.perTag.gamers).toEqual({ tp: 0, fp: 0, fn: 1 });
  });

  it('scores 0, not NaN, when nothing is predicted or there is nothing to score', () => {
    expect(evaluateTagger(() => [], [{ text: 'x', tags: ['gamers'] }]).f1).toBe(0);
    expect(evaluateTagger(() => [], []).precision).toBe(0);
  });

  it('rejects a malformed fixture with every problem listed', () => {
    const parsed = parseLabeledTweets([
      { text: 'hi', tags: ['book_club'], split: 'tune' },
      { text: 'hi', tags: [], split: 'holdout' },
      { text: 'hi', tags: ['gamers'], split: 'train' },
    ]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.join('\n')).toMatch(/unknown tag "book_club"/);
    expect(parsed.errors.join('\n')).toMatch(/row 1: tags must be an array of 1\.\.5/);
    expect(parsed.errors.join('\n')).toMatch(/row 2: split must be/);
    expect(parsed.errors.join('\n')).toMatch(/split holdout: tag movie_lovers has 0 examples/);
  });
});
