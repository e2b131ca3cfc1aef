import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKLIST, moderateByRules } from './rules.js';

const rules = { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 };

describe('rule-based moderation', () => {
  it('passes ordinary tweets', () => {
    for (const text of ['Lovely hike this morning 🌲', 'New blog post: https://example.com/a', 'cc @a @b thoughts?', 'Sooooo good']) {
      expect(moderateByRules(text, rules), text).toEqual({ flagged: false, categories: [] });
    }
  });

  it('flags blocklisted terms as whole words, ignoring case', () => {
    expect(moderateByRules('Want to BUY FOLLOWERS cheap?', rules).categories).toEqual(['blocklist']);
    expect(moderateByRules('I can’t buy followership', rules).flagged).toBe(false);
  });

  it('flags link and mention spam and long runs of one character', () => {
    const links = 'deals http://a.co http://b.co http://c.co http://d.co';
    expect(moderateByRules(links, rules).categories).toEqual(['spam_links']);
    expect(moderateByRules('@a @b @c @d @e @f look', rules).categories).toEqual(['spam_mentions']);
    expect(moderateByRules(`wow${'!'.repeat(10)}`, rules).categories).toEqual(['repeated_characters']);
    expect(moderateByRules(`wow${'!'.repeat(9)}`, rules).flagged).toBe(false);
  });

  it('reports every rule that fired', () => {
    const text = `free crypto ${'$'.repeat(12)} @a @b @c @d @e @f`;
    expect(moderateByRules(text, rules).categories).toEqual(['blocklist', 'spam_mentions', 'repeated_characters']);
  });
});
