import { describe, expect, it } from 'vitest';
import { decideFlag, DEFAULT_FLAG_CATEGORIES, mergeLabels, type ModerationLabel } from './categories.js';

const label = (category: ModerationLabel['category'], severity: ModerationLabel['severity'], source = 'x'): ModerationLabel => ({ category, severity, source });

describe('moderation policy', () => {
  it('keeps one label per category at its highest severity, in category order', () => {
    expect(mergeLabels([label('spam', 'medium'), label('profanity', 'low'), label('spam', 'high', 'rule'), label('spam', 'medium')])).toEqual([
      label('profanity', 'low'),
      label('spam', 'high', 'rule'),
    ]);
  });

  it('flags only high-severity labels of flagging categories', () => {
    expect(decideFlag([label('hate', 'high')], DEFAULT_FLAG_CATEGORIES)).toBe(true);
    expect(decideFlag([label('hate', 'medium')], DEFAULT_FLAG_CATEGORIES)).toBe(false);
    expect(decideFlag([label('profanity', 'low'), label('insult', 'medium'), label('sexual', 'high')], DEFAULT_FLAG_CATEGORIES)).toBe(false);
    expect(decideFlag([label('sexual', 'high')], ['sexual'])).toBe(true);
    expect(decideFlag([label('spam', 'high')], [])).toBe(false);
  });
});
