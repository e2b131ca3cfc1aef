import { describe, expect, it } from 'vitest';
import { mentionedHandles } from './mentions.js';

describe('mentionedHandles', () => {
  it('finds whole handles after a free-standing @, once each, lower-cased, in order', () => {
    expect(mentionedHandles('@Alice and @bob_2, again @ALICE!')).toEqual(['alice', 'bob_2']);
    expect(mentionedHandles('(@carol) says hi')).toEqual(['carol']);
  });

  it('ignores e-mail addresses, handles too short or too long, and a lone @', () => {
    expect(mentionedHandles('mail me at me@example.com or @ab or @abcdefghijklmnopq or @')).toEqual([]);
  });

  it('stops at the maximum', () => {
    expect(mentionedHandles('@aaa @bbb @ccc', 2)).toEqual(['aaa', 'bbb']);
  });
});
