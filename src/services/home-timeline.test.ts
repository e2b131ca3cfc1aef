import { describe, expect, it } from 'vitest';
import { slicesBetween } from './fan-out.js';
import { mergeOldestFirst, mergePages } from './home-timeline.js';

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

describe('mergeOldestFirst', () => {
  it('interleaves pages read oldest first by score, then id, without repeats, and cuts at the limit', () => {
    const own = { ids: ['10', '30', '50'], scores: [1, 3, 5], hasNextPage: false };
    const star = { ids: ['20', '30', '40'], scores: [2, 3, 4], hasNextPage: false };
    expect(mergeOldestFirst([own, star], 10)).toEqual({ ids: ['10', '20', '30', '40', '50'], scores: [1, 2, 3, 4, 5], hasNextPage: false });
    expect(mergeOldestFirst([own, star], 3)).toEqual({ ids: ['10', '20', '30'], scores: [1, 2, 3], hasNextPage: true });
  });

  it('orders equal scores by id ascending, the reverse of a page, and says when a source has more', () => {
    const a = { ids: ['7', '9'], scores: [1, 1], hasNextPage: true };
    const b = { ids: ['8'], scores: [1], hasNextPage: false };
    expect(mergeOldestFirst([a, b], 5)).toEqual({ ids: ['7', '8', '9'], scores: [1, 1, 1], hasNextPage: true });
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
