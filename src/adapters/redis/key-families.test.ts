import { describe, expect, it } from 'vitest';
import { globMatcher } from './keyspace.js';
import { keyFamilies, keys } from './keys.js';

/** One example key per builder, with arguments shaped like real ones. */
const examples: Record<keyof typeof keyFamilies, string> = {
  tweet: keys.tweet('1234'),
  tweetTombstone: keys.tweetTombstone('1234'),
  tweetTags: keys.tweetTags('1234'),
  tweetModeration: keys.tweetModeration('1234'),
  tweetLikes: keys.tweetLikes('1234'),
  tweetReplies: keys.tweetReplies('1234'),
  tweetReposters: keys.tweetReposters('1234'),
  tagIndex: keys.tagIndex('sports_fans'),
  tagCache: keys.tagCache('ab12'),
  user: keys.user('42'),
  password: keys.password('42'),
  handle: keys.handle('Alice'),
  followers: keys.followers('42'),
  following: keys.following('42'),
  homeTimeline: keys.homeTimeline('42'),
  lastSeen: keys.lastSeen('42'),
  homeRebuild: keys.homeRebuild('42'),
  authorTimeline: keys.authorTimeline('42'),
  celebrity: keys.celebrity('42'),
  followedCelebrities: keys.followedCelebrities('42'),
  fanOutCheckpoint: keys.fanOutCheckpoint('1234'),
  listening: keys.listening(keys.homeChannel('42')),
  taste: keys.taste('42'),
  tasteAnchor: keys.tasteAnchor('42'),
  clicked: keys.clicked('42'),
  tasteAuthors: keys.tasteAuthors('42'),
  tasteCounts: keys.tasteCounts('42'),
  tasteLearned: keys.tasteLearned('42'),
  tastePrefs: keys.tastePrefs('42'),
  tasteHidden: keys.tasteHidden('42'),
  likes: keys.likes('42'),
  popular: keys.popular(),
  popularAnchor: keys.popularAnchor(),
  mutes: keys.mutes('42'),
  mutedBy: keys.mutedBy('42'),
  blocks: keys.blocks('42'),
  blockedBy: keys.blockedBy('42'),
  rateLimit: keys.rateLimit('click', '42'),
  forYouSnapshot: keys.forYouSnapshot('42', 'abc'),
  forYouSnapshots: keys.forYouSnapshots('42'),
  knownSignInAddress: keys.knownSignInAddress('Alice', '2001:db8:1:2::'),
  notifications: keys.notifications('42'),
  notificationCounts: keys.notificationCounts('42'),
  notificationActors: keys.notificationActors('42', 'like:1234'),
  notificationsRead: keys.notificationsRead('42'),
};

describe('key families', () => {
  it("match every key their builder makes, so a rebuild's wipe reaches the whole key space", () => {
    for (const [family, { pattern }] of Object.entries(keyFamilies)) {
      expect(globMatcher([pattern])(examples[family as keyof typeof keyFamilies]), `${family}: ${pattern}`).toBe(true);
    }
  });

  it('leave keys of other applications alone', () => {
    const ours = globMatcher(Object.values(keyFamilies).map((f) => f.pattern));
    for (const key of ['session:1', 'tweets', 'usr:1', 'popular:tweetsX', 'cache:tweet:1', 'timeline:other:1']) expect(ours(key), key).toBe(false);
  });

  it('read globs literally apart from * and ?', () => {
    expect(globMatcher(['a.b*'])('a.bc')).toBe(true);
    expect(globMatcher(['a.b*'])('axbc')).toBe(false);
    expect(globMatcher(['a?c'])('abc')).toBe(true);
    expect(globMatcher(['(x)+'])('(x)+')).toBe(true);
  });
});
