import { describe, expect, it } from 'vitest';
import { foldForMatching, normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('removes zero-width and bidi characters', () => {
    expect(normalizeText('buy\u200Bfol\u200Clow\u200Ders\u2060 now\uFEFF')).toBe('buyfollowers now');
    expect(normalizeText('free\u202Ecrypto')).toBe('freecrypto');
  });

  it('turns every kind of space into one plain space and trims', () => {
    expect(normalizeText('\u00A0buy\u00A0\u00A0followers\u2003now\u3000 ')).toBe('buy followers now');
    expect(normalizeText('buy    followers\t\tnow')).toBe('buy followers now');
  });

  it('drops control characters', () => {
    expect(normalizeText('free\u0000 crypto\u0007')).toBe('free crypto');
  });

  it('folds Cyrillic and Greek look-alikes to Latin', () => {
    // Cyrillic а, о, е, с, р and Greek ο, υ, ν.
    expect(normalizeText('frее сrурtо')).toBe('free crypto');
    expect(normalizeText('bυy fοllοwers')).toBe('buy followers');
  });

  it('applies NFKC: full-width and mathematical letters become plain ones', () => {
    expect(normalizeText('ｆｒｅｅ 𝐜𝐫𝐲𝐩𝐭𝐨')).toBe('free crypto');
  });

  it('leaves ordinary text, case, URLs and handles alone', () => {
    expect(normalizeText('Lovely hike with @ana! https://example.com/a?b=1 #Nature')).toBe('Lovely hike with @ana! https://example.com/a?b=1 #Nature');
  });
});

describe('foldForMatching', () => {
  it('lowercases and drops diacritics', () => {
    expect(foldForMatching('CLÍCK HÉRE')).toBe('click here');
  });

  it('decodes leetspeak inside words only', () => {
    expect(foldForMatching('fr33 cr7pt0')).toBe('free crtpto');
    expect(foldForMatching('$h1t')).toBe('shit');
    expect(foldForMatching('see you at 10, room 404')).toBe('see you at 10, room 404');
  });

  it('joins letters spelled apart and shortens long repeats', () => {
    expect(foldForMatching('f u c k this')).toBe('fuck this');
    expect(foldForMatching('f.u.c.k')).toBe('fuck');
    expect(foldForMatching('a b c')).toBe('a b c');
    expect(foldForMatching('sooooo goooood')).toBe('soo good');
  });
});
