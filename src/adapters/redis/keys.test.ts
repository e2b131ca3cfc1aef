import { describe, expect, it } from 'vitest';
import { keys } from './keys.js';

describe('redis key names', () => {
  it('are distinct per kind and per id', () => {
    const all = [
      keys.tweet('1'),
      keys.user('1'),
      keys.password('1'),
      keys.handle('Alice'),
      keys.followers('1'),
      keys.following('1'),
      keys.homeTimeline('1'),
      keys.authorTimeline('1'),
      keys.taste('1'),
      keys.tasteAnchor('1'),
      keys.clicked('1'),
      keys.popular(),
      keys.popularAnchor(),
      keys.rateLimit('click', '1'),
      keys.forYouSnapshot('1', 'abc'),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(keys.homeTimeline('1')).not.toBe(keys.homeTimeline('2'));
  });

  it('fold handles to lower case so uniqueness ignores case', () => {
    expect(keys.handle('Alice')).toBe(keys.handle('aLICE'));
  });
});
