import { describe, expect, it } from 'vitest';
import { isTag, MAX_TAGS_PER_TWEET, normalizeTags, TAG_VOCABULARY } from './vocabulary.js';

describe('tag vocabulary', () => {
  it('has 50 unique snake_case tags', () => {
    expect(TAG_VOCABULARY).toHaveLength(50);
    expect(new Set(TAG_VOCABULARY).size).toBe(50);
    for (const tag of TAG_VOCABULARY) expect(tag).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
  });

  it('keeps the article order at the edges and normalises the odd names', () => {
    expect(TAG_VOCABULARY[0]).toBe('movie_lovers');
    expect(TAG_VOCABULARY[49]).toBe('nature_aficionados');
    for (const tag of ['eco_friendly', 'diy_crafts', 'tv_show_lovers']) expect(isTag(tag)).toBe(true);
  });

  it('isTag is exact', () => {
    expect(isTag('foodies')).toBe(true);
    expect(isTag('Foodies')).toBe(false);
    expect(isTag('book_club')).toBe(false);
  });
});

describe('normalizeTags', () => {
  it('drops anything outside the vocabulary', () => {
    expect(normalizeTags(['bookworms', 'book_club', 'goodvib', ''])).toEqual(['bookworms']);
  });

  it('maps case, hyphens, spaces and padding onto vocabulary names', () => {
    expect(normalizeTags(['eco-friendly', ' Tech Savvy ', 'DIY_crafts', 'TV-show-lovers'])).toEqual([
      'eco_friendly',
      'tech_savvy',
      'diy_crafts',
      'tv_show_lovers',
    ]);
  });

  it('de-duplicates keeping the first occurrence, in input order', () => {
    expect(normalizeTags(['gamers', 'foodies', 'Gamers', 'gamers', 'foodies', 'pet_lovers'])).toEqual([
      'gamers',
      'foodies',
      'pet_lovers',
    ]);
  });

  it('caps at five by default, and at an explicit max', () => {
    const many = TAG_VOCABULARY.slice(10, 20);
    expect(normalizeTags(many)).toEqual(many.slice(0, MAX_TAGS_PER_TWEET));
    expect(MAX_TAGS_PER_TWEET).toBe(5);
    expect(normalizeTags(many, 2)).toEqual(many.slice(0, 2));
    expect(normalizeTags(many, 0)).toEqual([]);
    expect(normalizeTags(many, -1)).toEqual([]);
  });

  it('counts the cap after filtering, so junk does not use up slots', () => {
    expect(normalizeTags(['nope', 'x', 'foodies', 'y', 'gamers'], 2)).toEqual(['foodies', 'gamers']);
  });
});
