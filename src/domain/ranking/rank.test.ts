import { describe, expect, it } from 'vitest';
import { affinity, normalizeTaste, rankCandidates, scoreCandidate } from './rank.js';
import { describeReason } from './reasons.js';
import type { Candidate, RankingWeights } from './types.js';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2025, 5, 1, 12);
const weights: RankingWeights = { taste: 1, recency: 0.3, follow: 0.2, popular: 0.2, author: 1, recencyHalfLifeMs: 24 * HOUR };

let nextId = 1000;
function candidate(over: Partial<Candidate> = {}): Candidate {
  return { tweetId: String(nextId++), authorId: '7', tags: [], createdAt: NOW - HOUR, followed: false, popularity: 0, ...over };
}

const sportsFan = [
  { tag: 'sports_fans', weight: 4 },
  { tag: 'sports_enthusiasts', weight: 4 },
  { tag: 'foodies', weight: 1 },
];

describe('taste normalisation and affinity', () => {
  it('expresses taste as shares of the heaviest tag', () => {
    expect(normalizeTaste(sportsFan)).toEqual(new Map([['sports_fans', 1], ['sports_enthusiasts', 1], ['foodies', 0.25]]));
    expect(normalizeTaste([]).size).toBe(0);
    expect(normalizeTaste([{ tag: 'x', weight: 0 }]).size).toBe(0);
  });

  it('is scale-free: five clicks and five hundred rank alike', () => {
    const a = normalizeTaste(sportsFan);
    const b = normalizeTaste(sportsFan.map((t) => ({ ...t, weight: t.weight * 100 })));
    expect(b).toEqual(a);
  });

  it('takes the best liked tag, not the sum, so many tags or synonym pairs earn nothing extra', () => {
    const shares = normalizeTaste(sportsFan);
    expect(affinity(['sports_fans', 'sports_enthusiasts', 'foodies'], shares).value).toBe(1);
    expect(affinity(['foodies', 'foodies'], shares)).toEqual({ value: 0.25, liked: [{ tag: 'foodies', weight: 0.25 }] });
    expect(affinity(['gamers'], shares)).toEqual({ value: 0, liked: [] });
  });
});

describe('scoring a candidate', () => {
  const shares = normalizeTaste(sportsFan);

  it('adds weighted affinity, recency, follow bonus and popularity', () => {
    const c = candidate({ tags: ['sports_fans'], createdAt: NOW - 24 * HOUR, followed: true, popularity: 0.5 });
    expect(scoreCandidate(c, shares, weights, NOW).score).toBeCloseTo(1 * 1 + 0.3 * 0.5 + 0.2 * 1 + 0.2 * 0.5, 12);
  });

  it('uses the configured weights: with taste off, only recency, follows and popularity count', () => {
    const off = { ...weights, taste: 0 };
    const liked = candidate({ tags: ['sports_fans'], createdAt: NOW - 10 * HOUR });
    const fresh = candidate({ tags: ['gamers'], createdAt: NOW });
    expect(scoreCandidate(fresh, shares, off, NOW).score).toBeGreaterThan(scoreCandidate(liked, shares, off, NOW).score);
  });

  it('names liked tags (at most two, strongest first), the follow and popularity, by contribution', () => {
    const c = candidate({ tags: ['foodies', 'sports_enthusiasts', 'sports_fans'], followed: true, popularity: 0.9 });
    expect(scoreCandidate(c, shares, weights, NOW).reasons).toEqual([
      { kind: 'taste', tag: 'sports_enthusiasts' },
      { kind: 'taste', tag: 'sports_fans' },
      { kind: 'follow' },
      { kind: 'popular' },
    ]);
    const strongFollow = scoreCandidate(candidate({ tags: ['foodies'], followed: true }), shares, { ...weights, follow: 2 }, NOW);
    expect(strongFollow.reasons).toEqual([{ kind: 'follow' }, { kind: 'taste', tag: 'foodies' }]);
  });

  it('leaves out weak signals but never returns no reason', () => {
    const faint = normalizeTaste([{ tag: 'sports_fans', weight: 100 }, { tag: 'gamers', weight: 1 }]);
    expect(scoreCandidate(candidate({ tags: ['gamers'], popularity: 0.9 }), faint, weights, NOW).reasons).toEqual([{ kind: 'popular' }]);
    expect(scoreCandidate(candidate({ tags: ['gamers'] }), faint, weights, NOW).reasons).toEqual([{ kind: 'taste', tag: 'gamers' }]);
    expect(scoreCandidate(candidate({ popularity: 0.05 }), faint, weights, NOW).reasons).toEqual([{ kind: 'popular' }]);
    expect(scoreCandidate(candidate(), faint, weights, NOW).reasons).toEqual([{ kind: 'recent' }]);
  });
});

describe('ranking candidates', () => {
  it('puts tweets with liked tags from strangers above followed tweets on other topics', () => {
    const stranger = candidate({ tags: ['sports_fans'], createdAt: NOW - 20 * HOUR });
    const friend = candidate({ tags: ['gamers'], followed: true, createdAt: NOW, popularity: 1 });
    const ranked = rankCandidates([friend, stranger], sportsFan, weights, NOW);
    expect(ranked.map((r) => r.tweetId)).toEqual([stranger.tweetId, friend.tweetId]);
  });

  it('lets a newly favoured tag rise as its weight overtakes the old one', () => {
    const sports = candidate({ tags: ['sports_fans'] });
    const cooking = candidate({ tags: ['foodies'] });
    const before = rankCandidates([sports, cooking], [{ tag: 'sports_fans', weight: 5 }, { tag: 'foodies', weight: 2 }], weights, NOW);
    const after = rankCandidates([sports, cooking], [{ tag: 'sports_fans', weight: 2.5 }, { tag: 'foodies', weight: 6 }], weights, NOW);
    expect(before[0]!.tweetId).toBe(sports.tweetId);
    expect(after[0]!.tweetId).toBe(cooking.tweetId);
  });

  it('without taste (cold start) ranks followed, recent and popular tweets', () => {
    const old = candidate({ followed: true, createdAt: NOW - 72 * HOUR });
    const fresh = candidate({ followed: true, createdAt: NOW });
    const popular = candidate({ popularity: 1, createdAt: NOW - 2 * HOUR });
    const ranked = rankCandidates([old, popular, fresh], [], weights, NOW);
    expect(ranked.map((r) => r.tweetId)).toEqual([fresh.tweetId, popular.tweetId, old.tweetId]);
    expect(ranked.every((r) => r.reasons.length > 0)).toBe(true);
  });

  it('is deterministic: equal scores order newest id first, across id lengths', () => {
    const t = NOW - HOUR;
    const a = candidate({ tweetId: '999', createdAt: t });
    const b = candidate({ tweetId: '1000', createdAt: t });
    const c = candidate({ tweetId: '1001', createdAt: t });
    expect(rankCandidates([a, c, b], [], weights, NOW).map((r) => r.tweetId)).toEqual(['1001', '1000', '999']);
    expect(rankCandidates([b, a, c], [], weights, NOW).map((r) => r.tweetId)).toEqual(['1001', '1000', '999']);
  });

  it('keeps the first occurrence of a tweet that several sources offered', () => {
    const c = candidate({ tags: ['sports_fans'] });
    const ranked = rankCandidates([c, { ...c, followed: true }], sportsFan, weights, NOW);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.reasons).toEqual([{ kind: 'taste', tag: 'sports_fans' }]);
  });

  it('returns authors with entries so reasons can name them later', () => {
    const [entry] = rankCandidates([candidate({ authorId: '42', followed: true })], [], weights, NOW);
    expect(entry!.authorId).toBe('42');
  });
});

describe('negative feedback', () => {
  it('weighs a tweet down by its worst disliked tag and by an author the user was not interested in', () => {
    const profile = {
      tags: [
        { tag: 'sports_fans', weight: 4, source: { signal: 'like' as const, count: 2 } },
        { tag: 'music_lovers', weight: -10 },
      ],
      authors: new Map([['9', -10]]),
    };
    const liked = candidate({ tags: ['sports_fans'] });
    const mixed = candidate({ tags: ['sports_fans', 'music_lovers'] });
    const byDisliked = candidate({ tags: ['sports_fans'], authorId: '9' });
    const plain = candidate();
    const ranked = rankCandidates([mixed, byDisliked, plain, liked], profile, weights, NOW);
    expect(ranked[0]!.tweetId).toBe(liked.tweetId);
    const score = (id: string) => ranked.find((r) => r.tweetId === id)!.score;
    // Shares are of the heaviest liked tag and cut at −1: 1 − 1 for the mixed tweet, 1 − 1 for the disliked author's, as low as a tweet on nothing liked.
    expect(score(liked.tweetId) - score(mixed.tweetId)).toBeCloseTo(1, 12);
    expect(score(liked.tweetId) - score(byDisliked.tweetId)).toBeCloseTo(1, 12);
    expect(score(plain.tweetId)).toBeCloseTo(score(mixed.tweetId), 12);
    // The reason names the like behind the tag, never the "not interested".
    expect(ranked.find((r) => r.tweetId === mixed.tweetId)!.reasons).toEqual([{ kind: 'taste', tag: 'sports_fans', source: { signal: 'like', count: 2 } }]);
  });

  it('with nothing liked, takes one unit as the scale: one "not interested" is a full −1', () => {
    expect(normalizeTaste([{ tag: 'music_lovers', weight: -10 }])).toEqual(new Map([['music_lovers', -1]]));
    expect(affinity(['music_lovers', 'gamers'], normalizeTaste([{ tag: 'music_lovers', weight: -0.5 }])).value).toBe(-0.5);
  });
});

describe('reason text', () => {
  it('reads as the issue asks', () => {
    expect(describeReason({ kind: 'taste', tag: 'sports_fans', source: { signal: 'like', count: 3 } }, null)).toBe('you liked 3 tweets about sports_fans');
    expect(describeReason({ kind: 'taste', tag: 'foodies', source: { signal: 'click', count: 1 } }, null)).toBe('you clicked 1 tweet about foodies');
    expect(describeReason({ kind: 'taste', tag: 'foodies', source: { signal: 'chosen' } }, null)).toBe('you chose foodies');
    // Reasons stored before signals were named, and clicks learned before they were counted: clicks, the only signal then.
    expect(describeReason({ kind: 'taste', tag: 'sports_fans' }, null)).toBe('you clicked tweets about sports_fans');
    expect(describeReason({ kind: 'taste', tag: 'gamers', source: { signal: 'click', count: 0 } }, null)).toBe('you clicked tweets about gamers');
    expect(describeReason({ kind: 'follow' }, 'alice')).toBe('from @alice, whom you follow');
    expect(describeReason({ kind: 'follow' }, null)).toBe('from someone you follow');
    expect(describeReason({ kind: 'popular' }, 'bob')).toBe('popular right now');
    expect(describeReason({ kind: 'recent' }, null)).toBe('new on the timeline');
  });
});
