import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAG_CATEGORIES } from './categories.js';
import { verdictFrom, type Evidence } from './offline-moderator.js';

const th = { offensive: 0.9, hate: 0.7, hateHigh: 0.99, spam: 0.2, spamHigh: 0.3 };
const evidence = (spam: number, weak: string[] = [], strong: string[] = []): Evidence => ({
  scores: { offensive: 0, hate: 0, spam },
  fixed: [],
  spam: { strong, weak },
});
const spamLabel = (e: Evidence) => verdictFrom(e, th, DEFAULT_FLAG_CATEGORIES).labels.find((l) => l.category === 'spam');

describe('the spam policy', () => {
  it('never hides a text on the classifier alone, however sure it is: it only labels it', () => {
    for (const score of [0.25, 0.5, 0.99]) {
      expect(verdictFrom(evidence(score), th, DEFAULT_FLAG_CATEGORIES).flagged, String(score)).toBe(false);
      expect(spamLabel(evidence(score))).toEqual({ category: 'spam', severity: 'medium', source: 'classifier' });
    }
    expect(spamLabel(evidence(0.1))).toBeUndefined();
  });

  it('hides on one pattern signal the classifier agrees with, two signals, or one strong rule', () => {
    expect(spamLabel(evidence(0.3, ['phone-number']))).toEqual({ category: 'spam', severity: 'high', source: 'classifier+pattern:phone-number' });
    expect(spamLabel(evidence(0.25, ['phone-number']))?.severity).toBe('medium');
    expect(spamLabel(evidence(0, ['premium-rate', 'subscription-terms']))?.severity).toBe('high');
    expect(spamLabel(evidence(0, [], ['mentions']))?.severity).toBe('high');
    expect(verdictFrom(evidence(0.3, ['short-link']), th, DEFAULT_FLAG_CATEGORIES).flagged).toBe(true);
  });
});
