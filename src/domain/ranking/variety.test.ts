import { describe, expect, it } from 'vitest';
import type { RankedEntry } from './types.js';
import { applyVariety } from './variety.js';

const entry = (i: number, authorId: string): RankedEntry => ({ tweetId: String(100 + i), authorId, score: 100 - i, reasons: [{ kind: 'recent' }] });

/** Most entries of one author in any `window` consecutive ones. */
function worstWindow(entries: readonly RankedEntry[], window: number): number {
  let worst = 0;
  for (let start = 0; start < entries.length; start++) {
    const counts = new Map<string, number>();
    for (const e of entries.slice(start, start + window)) counts.set(e.authorId, (counts.get(e.authorId) ?? 0) + 1);
    worst = Math.max(worst, ...counts.values());
  }
  return worst;
}

describe('variety', () => {
  it('gives no author more than 2 of any 10 consecutive entries, pages and page boundaries alike', () => {
    // One prolific author holds the best 12 scores, three others the rest.
    const ranked = [...Array.from({ length: 12 }, (_, i) => entry(i, 'a')), ...Array.from({ length: 30 }, (_, i) => entry(12 + i, ['b', 'c', 'd'][i % 3]!))];
    const out = applyVariety(ranked, { window: 10, maxPerAuthor: 2 });
    expect(worstWindow(out, 10)).toBeLessThanOrEqual(2);
    // The best entries still lead, and the order among what stays is the ranking's.
    expect(out.slice(0, 2).map((e) => e.tweetId)).toEqual(['100', '101']);
    const others = out.filter((e) => e.authorId !== 'a').map((e) => e.score);
    expect(others).toEqual([...others].sort((x, y) => y - x));
    // Every page of 10 of the stored ranking, and any run across two pages, keeps the rule.
    for (let p = 0; p + 10 <= out.length; p += 5) expect(worstWindow(out.slice(p, p + 10), 10)).toBeLessThanOrEqual(2);
  });

  it('ends the ranking rather than break the rule when one author is all that is left', () => {
    const ranked = [entry(0, 'a'), entry(1, 'a'), entry(2, 'a'), entry(3, 'b')];
    expect(applyVariety(ranked, { window: 10, maxPerAuthor: 2 }).map((e) => e.tweetId)).toEqual(['100', '101', '103']);
  });

  it('lets an author back once the window has moved past their entries', () => {
    const ranked = [entry(0, 'a'), entry(1, 'a'), entry(2, 'a'), entry(3, 'b'), entry(4, 'c')];
    expect(applyVariety(ranked, { window: 3, maxPerAuthor: 1 }).map((e) => e.authorId)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('changes nothing when the limit is the window', () => {
    const ranked = [entry(0, 'a'), entry(1, 'a'), entry(2, 'a')];
    expect(applyVariety(ranked, { window: 2, maxPerAuthor: 2 })).toEqual(ranked);
  });
});
