import { describe, expect, it } from 'vitest';
import type { Tweet } from '../types.js';
import { snowflakeTime } from '../snowflake.js';
import { attributeReposts, followChecksFor, placedByRepost } from './attribution.js';

const tweet = (id: string, authorId: string): Tweet => ({ id, authorId, text: 't', createdAt: new Date(0).toISOString() });
const reposts = (...ids: string[]) => ids.map((reposterId, i) => ({ reposterId, at: 1000 + i }));

describe('repost attribution on a home page', () => {
  it('shows an entry by the reader or a followed author as an original, whoever reposted it', () => {
    const result = attributeReposts({
      viewerId: 'v',
      tweets: [tweet('1', 'v'), tweet('2', 'a')],
      reposts: [reposts('b'), reposts('b')],
      followed: new Set(['a', 'b']),
      hidden: new Set(),
    });
    expect([...result.repostedBy]).toEqual([]);
    expect([...result.retracted]).toEqual([]);
  });

  it('names the earliest reposter the reader follows and does not hide', () => {
    const result = attributeReposts({
      viewerId: 'v',
      tweets: [tweet('1', 's')],
      reposts: [reposts('x', 'm', 'b', 'c')],
      followed: new Set(['m', 'b', 'c']),
      hidden: new Set(['m']),
    });
    expect(result.repostedBy.get('1')).toBe('b');
    expect(result.retracted.size).toBe(0);
  });

  it('retracts an entry no followee reposts any more, and one only the reader reposted', () => {
    const result = attributeReposts({
      viewerId: 'v',
      tweets: [tweet('1', 's'), tweet('2', 's'), tweet('3', 's')],
      reposts: [reposts(), reposts('x'), reposts('v')],
      followed: new Set(['v']),
      hidden: new Set(),
    });
    expect([...result.retracted].sort()).toEqual(['1', '2', '3']);
  });

  it('leaves entries at their own time alone: originals, whoever the reader follows', () => {
    const result = attributeReposts({ viewerId: 'v', tweets: [tweet('1', 's')], reposts: [null], followed: new Set(), hidden: new Set() });
    expect(result.retracted.size + result.repostedBy.size).toBe(0);
    expect(followChecksFor('v', [tweet('1', 's')], [null])).toEqual([]);
  });

  it('tells entries placed by a repost from those at their tweet time', () => {
    const id = '7211231234567890123';
    expect(placedByRepost(id, snowflakeTime(id))).toBe(false);
    expect(placedByRepost(id, snowflakeTime(id) + 5)).toBe(true);
  });

  it('leaves missing entries alone', () => {
    const result = attributeReposts({ viewerId: 'v', tweets: [null, new Error('x')], reposts: [[], []], followed: new Set(), hidden: new Set() });
    expect(result.retracted.size + result.repostedBy.size).toBe(0);
  });

  it("asks about the authors and the reposters of others' entries only, once each", () => {
    expect(followChecksFor('v', [tweet('1', 'v'), tweet('2', 'a'), tweet('3', 'a'), null], [reposts('z'), reposts('b', 'v'), reposts('b', 'c'), reposts('q')])).toEqual(['a', 'b', 'c']);
  });
});
