import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { cleanFreeText, displayLength, hasVisibleContent, stripUnsafe } from './text.js';
import { TWEET_MAX_CHARS, validateTweetText } from './validation.js';

const FAMILY = '👨‍👩‍👧‍👦';

const refusal = (text: string) => {
  try {
    validateTweetText(text);
  } catch (err) {
    if (err instanceof DomainError) return `${err.code}:${err.field}: ${err.message}`;
    throw err;
  }
  return 'accepted';
};

describe('free text: what no client could display is refused', () => {
  const invisible: [string, string][] = [
    ['zero-width spaces', '\u200B\u200B\u200B'],
    ['a zero-width joiner, a BOM and a word joiner', '\u200D\uFEFF\u2060'],
    ['control characters', '\u0000\u0007\u0008\u001F\u007F'],
    ['C1 controls', '\u0085\u009B\u009F'],
    ['an ANSI colour escape and a reset', '\u001B[31m\u001B[0m'],
    ['an OSC title escape', '\u001B]0;owned\u0007'],
    ['bidi overrides and isolates', '\u202E\u202D\u2066\u2069'],
    ['white space of every kind', ' \t\n\r\u00A0\u2003\u3000\u2028'],
    ['Hangul fillers and the Braille blank', '\u3164\u115F\u2800'],
    ['variation selectors and tag characters', '\uFE0F\u{E0041}\u{E007F}'],
    ['a mixture', ' \u200B\u001B[2J\u202E\u0000 '],
  ];
  for (const [name, text] of invisible) {
    it(`${name}`, () => expect(refusal(text)).toMatch(/^BAD_USER_INPUT:text: tweet text must not be blank/));
  }

  it('a lone surrogate, high or low, anywhere', () => {
    for (const text of ['\uD83D', 'hello \uDE00 world', 'ok\uD800']) expect(refusal(text)).toMatch(/^BAD_USER_INPUT:text: tweet text contains a lone surrogate/);
    expect(refusal('a pair is fine 😀')).toBe('accepted');
  });

  it('and the empty text', () => expect(refusal('')).toMatch(/BAD_USER_INPUT:text/));
});

describe('free text: the rest is stripped of what misleads a reader', () => {
  it('removes ANSI escape sequences, controls and bidi overrides, keeps line breaks, tabs and joiners', () => {
    expect(stripUnsafe('\u001B[1;31mred\u001B[0m alert')).toBe('red alert');
    expect(stripUnsafe('bell\u0007 and\u0000 nul')).toBe('bell and nul');
    expect(stripUnsafe('line one\r\nline two\rthree\tcolumn')).toBe('line one\nline two\nthree\tcolumn');
    // "Trojan source": an override makes "txt.exe" read as "exe.txt".
    expect(stripUnsafe('file\u202Etxt.exe')).toBe('filetxt.exe');
    expect(stripUnsafe(`${FAMILY} می‌خواهم`)).toBe(`${FAMILY} می‌خواهم`);
    expect(stripUnsafe('abc\u200Fdef')).toBe('abc\u200Fdef');
    expect(validateTweetText('\u001B[31mhello\u001B[0m \u202Eworld')).toBe('hello world');
  });

  it('sees content in letters, digits, emoji, symbols and combining marks', () => {
    for (const text of ['a', '7', '😀', '—', '\u0301', '日本', FAMILY, '\u200Bx']) expect(hasVisibleContent(text), text).toBe(true);
  });
});

describe('free text: length is counted as people see it', () => {
  it('counts grapheme clusters: 41 family emoji are 41 characters', () => {
    expect(FAMILY.length).toBe(11);
    expect([...FAMILY.repeat(41)].length).toBe(287);
    expect(displayLength(FAMILY.repeat(41))).toBe(41);
    expect(displayLength('🇫🇷🇩🇪')).toBe(2);
    expect(displayLength('e\u0301')).toBe(1);
  });

  it('allows 280 of them and refuses 281, saying how it counted', () => {
    expect(validateTweetText(FAMILY.repeat(TWEET_MAX_CHARS))).toBe(FAMILY.repeat(TWEET_MAX_CHARS));
    expect(refusal(FAMILY.repeat(281))).toBe('BAD_USER_INPUT:text: tweet text must be at most 280 characters as people see them (got 281)');
    expect(refusal('x'.repeat(281))).toMatch(/got 281/);
    // Counted after stripping: escapes take no room.
    expect(validateTweetText(`${'\u001B[0m'.repeat(50)}${'x'.repeat(280)}`)).toBe('x'.repeat(280));
  });

  it('bounds what a few characters can hide in storage (stacked combining marks)', () => {
    expect(refusal(`z${'\u0301'.repeat(5000)}`)).toMatch(/too long in storage/);
    expect(cleanFreeText(`z${'\u0301'.repeat(10)}`, { field: 'f', what: 'it', maxChars: 280 })).toHaveLength(11);
  });
});
