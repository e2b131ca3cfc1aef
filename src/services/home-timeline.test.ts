import { describe, expect, it } from 'vitest';
import { slicesBetween } from './fan-out.js';
import { mergePages } from './home-timeline.js';

describe('mergePages', () => {
  it('interleaves by score, then id, newest first, without repeats', () => {
    const own = { ids: ['50', '30', '10'], scores: [5, 3, 1], hasNextPage: false };
    const star = { ids: ['40', '30', '20'], scores: [4, 3, 2], hasNextPage: false };
    expect(mergePages([own, star], 10)).toEqual({ ids: ['50', '40', '30', '20', '10'], scores: [5, 4, 3, 2, 1], hasNextPage: false });
  });

  it('breaks equal scores by id as Redis orders members, and cuts at first', () => {
    const a = { ids: ['9', '7'], scores: [1, 1], hasNextPage: false };
    const b = { ids: ['8'], scores: [1], hasNextPage: false };
    expect(mergePages([a, b], 2)).toEqual({ ids: ['9', '8'], scores: [1, 1], hasNextPage: true });
  });

  it('has a next page when any source has one', () => {
    const a = { ids: ['2'], scores: [2], hasNextPage: false };
    const b = { ids: ['1'], scores: [1], hasNextPage: true };
    expect(mergePages([a, b], 5).hasNextPage).toBe(true);
  });
});

describe('slicesBetween', () => {
  it('covers every follow time once', () => {
    expect(slicesBetween([])).toEqual([{ from: null, to: null }]);
    expect(slicesBetween([10, 20])).toEqual([
      { from: null, to: 10 },
      { from: 10, to: 20 },
      { from: 20, to: null },
    ]);
  });
});
