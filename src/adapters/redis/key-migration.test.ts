import { describe, expect, it } from 'vitest';
import { renamedKey } from './key-migration.js';
import { keys } from './keys.js';

describe('renamed keys (before hash tags → now)', () => {
  it('maps every renamed family to the name keys.ts builds', () => {
    expect(renamedKey('tweet:42')).toBe(keys.tweet('42'));
    expect(renamedKey('tweet:42:deleted')).toBe(keys.tweetTombstone('42'));
    expect(renamedKey('tweet:42:tags')).toBe(keys.tweetTags('42'));
    expect(renamedKey('tweet:42:moderation')).toBe(keys.tweetModeration('42'));
    expect(renamedKey('user:7')).toBe(keys.user('7'));
    expect(renamedKey('user:7:password')).toBe(keys.password('7'));
    expect(renamedKey('taste:7')).toBe(keys.taste('7'));
    expect(renamedKey('taste:7:anchor')).toBe(keys.tasteAnchor('7'));
    expect(renamedKey('clicked:7')).toBe(keys.clicked('7'));
    expect(renamedKey('popular:tweets')).toBe(keys.popular());
    expect(renamedKey('popular:tweets:anchor')).toBe(keys.popularAnchor());
  });

  it('leaves current names and unrenamed keys alone', () => {
    for (const name of [keys.tweet('42'), keys.user('7'), keys.popular(), 'timeline:home:7', 'handle:alice', 'followers:7', 'tag:foodies:tweets']) {
      expect(renamedKey(name)).toBeNull();
    }
  });
});
