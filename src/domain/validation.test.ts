import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { validateFirst, validateHandle, validateId, validatePassword, validateTweetText } from './validation.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? `${err.code}:${err.field}` : 'other';
  }
  return 'ok';
};

describe('input validation', () => {
  it('accepts handles of 3-15 letters, digits and underscores only', () => {
    for (const ok of ['abc', 'A_b_9', 'x'.repeat(15)]) expect(codeOf(() => validateHandle(ok))).toBe('ok');
    for (const bad of ['ab', 'x'.repeat(16), 'has space', 'dash-ed', 'émile', '', 'a\nbc']) {
      expect(codeOf(() => validateHandle(bad))).toBe('BAD_USER_INPUT:handle');
    }
  });

  it('requires passwords of at least 8 characters', () => {
    expect(codeOf(() => validatePassword('1234567'))).toBe('BAD_USER_INPUT:password');
    expect(codeOf(() => validatePassword('12345678'))).toBe('ok');
    expect(codeOf(() => validatePassword('x'.repeat(5000)))).toBe('BAD_USER_INPUT:password');
  });

  it('rejects blank tweets and counts length in code points', () => {
    expect(codeOf(() => validateTweetText(''))).toBe('BAD_USER_INPUT:text');
    expect(codeOf(() => validateTweetText(' \n\t '))).toBe('BAD_USER_INPUT:text');
    expect(codeOf(() => validateTweetText('x'.repeat(280)))).toBe('ok');
    expect(codeOf(() => validateTweetText('x'.repeat(281)))).toBe('BAD_USER_INPUT:text');
    // 280 emoji are 560 UTF-16 units but 280 characters.
    expect(codeOf(() => validateTweetText('😀'.repeat(280)))).toBe('ok');
  });

  it('bounds page sizes and ids', () => {
    expect(validateFirst(undefined, 100)).toBe(20);
    expect(validateFirst(100, 100)).toBe(100);
    for (const bad of [0, -1, 101, 1.5]) expect(codeOf(() => validateFirst(bad, 100))).toBe('BAD_USER_INPUT:first');
    expect(codeOf(() => validateId('12'))).toBe('ok');
    expect(codeOf(() => validateId('abc'))).toBe('BAD_USER_INPUT:id');
  });
});
