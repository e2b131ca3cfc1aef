import { describe, expect, it } from 'vitest';
import { tasteProfile } from './taste.js';

const weights = { click: 1, like: 3, notInterested: -10, notInterestedTag: -0.5, interest: 5 };

describe('the taste profile', () => {
  it('adds a chosen interest to what signals taught, and names the strongest source of each tag', () => {
    const profile = tasteProfile(
      {
        learned: [
          { tag: 'sports_fans', weight: 9 },
          { tag: 'gamers', weight: 2 },
          { tag: 'foodies', weight: 1 },
          { tag: 'music_lovers', weight: -10 },
        ],
        counts: new Map([
          ['sports_fans', { clicks: 3, likes: 2 }],
          ['gamers', { clicks: 2, likes: 0 }],
          ['foodies', { clicks: 1, likes: 0 }],
        ]),
        chosen: ['foodies', 'wanderlust'],
        authors: new Map([['7', -10]]),
      },
      weights,
    );
    expect(profile.tags).toEqual([
      { tag: 'sports_fans', weight: 9, source: { signal: 'like', count: 2 } },
      { tag: 'foodies', weight: 6, source: { signal: 'chosen' } },
      { tag: 'wanderlust', weight: 5, source: { signal: 'chosen' } },
      { tag: 'gamers', weight: 2, source: { signal: 'click', count: 2 } },
      { tag: 'music_lovers', weight: -10, source: { signal: 'click', count: 0 } },
    ]);
    expect(profile.authors.get('7')).toBe(-10);
  });

  it('names clicks when they outweigh likes, and a chosen tag by its signals once they outweigh the choice', () => {
    const profile = tasteProfile(
      { learned: [{ tag: 'gamers', weight: 12 }, { tag: 'foodies', weight: 9 }], counts: new Map([['gamers', { clicks: 12, likes: 0 }], ['foodies', { clicks: 1, likes: 1 }]]), chosen: ['gamers'], authors: new Map() },
      weights,
    );
    expect(profile.tags.map((t) => t.source)).toEqual([{ signal: 'click', count: 12 }, { signal: 'like', count: 1 }]);
  });
});
