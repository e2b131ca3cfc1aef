import { describe, expect, it } from 'vitest';
import { keys } from './keys.js';
import { slotOf } from './slots.js';

describe('redis key names', () => {
  it('are distinct per kind and per id', () => {
    const all = [
      keys.tweet('1'),
      keys.tweetTombstone('1'),
      keys.tweetTags('1'),
      keys.tweetModeration('1'),
      keys.tweetReplies('1'),
      keys.tweetReposters('1'),
      keys.user('1'),
      keys.password('1'),
      keys.handle('Alice'),
      keys.followers('1'),
      keys.following('1'),
      keys.homeTimeline('1'),
      keys.lastSeen('1'),
      keys.homeRebuild('1'),
      keys.authorTimeline('1'),
      keys.taste('1'),
      keys.tasteAnchor('1'),
      keys.clicked('1'),
      keys.popular(),
      keys.popularAnchor(),
      keys.rateLimit('click', '1'),
      keys.forYouSnapshot('1', 'abc'),
      keys.forYouSnapshots('1'),
      keys.mutes('1'),
      keys.mutedBy('1'),
      keys.blocks('1'),
      keys.blockedBy('1'),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(keys.homeTimeline('1')).not.toBe(keys.homeTimeline('2'));
  });

  it('fold handles to lower case so uniqueness ignores case', () => {
    expect(keys.handle('Alice')).toBe(keys.handle('aLICE'));
  });
});

describe('hash tags (Redis Cluster slots)', () => {
  const id = '7211231234567890123';
  const sameSlot = (...names: string[]) => new Set(names.map(slotOf)).size === 1;

  it('put keys that one script or MULTI writes together in one slot', () => {
    // tweet save script (tweet + tombstone), delete MULTI, and the page MGET of a tweet's family
    expect(sameSlot(keys.tweet(id), keys.tweetTombstone(id), keys.tweetTags(id), keys.tweetModeration(id))).toBe(true);
    // a repost checks the tombstone in the script that adds the reposter; a deletion drops the reposters in its MULTI
    expect(sameSlot(keys.tweet(id), keys.tweetTombstone(id), keys.tweetReposters(id))).toBe(true);
    // sign-up MULTI
    expect(sameSlot(keys.user(id), keys.password(id))).toBe(true);
    // the click script's user part, and the top-tags script
    expect(sameSlot(keys.taste(id), keys.tasteAnchor(id), keys.clicked(id))).toBe(true);
    // a home page read, a delivery, a rebuild's end: the timeline with its owner's activity
    expect(sameSlot(keys.homeTimeline(id), keys.lastSeen(id), keys.homeRebuild(id))).toBe(true);
    // the click script's popular part
    expect(sameSlot(keys.popular(), keys.popularAnchor())).toBe(true);
    // the forYou snapshot script: a new ranking, the user's list of them, the ones it drops
    expect(sameSlot(keys.forYouSnapshots(id), keys.forYouSnapshot(id, 'abc'), keys.forYouSnapshot(id, 'xyz'))).toBe(true);
    // one ZUNION reads everyone hidden from a user
    expect(sameSlot(keys.mutes(id), keys.mutedBy(id), keys.blocks(id), keys.blockedBy(id))).toBe(true);
    // the notification scripts: a user's groups, counts, actor sets and read marker
    expect(sameSlot(keys.notifications(id), keys.notificationCounts(id), keys.notificationActors(id, 'like:1'), keys.notificationsRead(id))).toBe(true);
  });

  it('spread keys of different users and tweets over many slots', () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(7211231234567890123n + BigInt(i) * 4096n));
    for (const key of [keys.tweet, keys.user, keys.taste, keys.homeTimeline, keys.followers, keys.listening]) {
      expect(new Set(ids.map((i) => slotOf(key(i)))).size, String(key)).toBeGreaterThan(150);
    }
  });
});
