import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { decodeNotificationCursor, encodeNotificationCursor, groupKey, parseGroupKey } from './grouping.js';

const DAY = 24 * 60 * 60 * 1000;
const T = Date.UTC(2026, 11, 3, 10);

describe('notification groups', () => {
  it('group likes and reposts per tweet, follows per UTC day, replies and mentions per tweet', () => {
    expect(groupKey('LIKE', '11', T)).toBe(groupKey('LIKE', '11', T + 5 * DAY));
    expect(groupKey('LIKE', '11', T)).not.toBe(groupKey('LIKE', '12', T));
    expect(groupKey('LIKE', '11', T)).not.toBe(groupKey('REPOST', '11', T));
    expect(groupKey('FOLLOW', null, T)).toBe(groupKey('FOLLOW', null, T + 60_000));
    expect(groupKey('FOLLOW', null, T)).not.toBe(groupKey('FOLLOW', null, T + DAY));
    expect(groupKey('MENTION', '13', T)).toBe('mention:13');
    expect(() => groupKey('LIKE', null, T)).toThrow();
  });

  it('say what they are about from the key alone, and refuse anything groupKey could not have made', () => {
    expect(parseGroupKey(groupKey('LIKE', '11', T))).toEqual({ kind: 'LIKE', tweetId: '11' });
    expect(parseGroupKey(groupKey('REPLY', '12', T))).toEqual({ kind: 'REPLY', tweetId: '12' });
    expect(parseGroupKey(groupKey('FOLLOW', null, T))).toEqual({ kind: 'FOLLOW', tweetId: null });
    for (const bad of ['', 'like:', 'like:0', 'boost:11', 'like:11:x', 'LIKE:11']) expect(parseGroupKey(bad), bad).toBeNull();
  });
});

describe('notification cursors', () => {
  const position = { ownerId: '42', score: T, group: 'like:11' };

  it('round-trip for their owner', () => {
    expect(decodeNotificationCursor(encodeNotificationCursor(position), '42')).toEqual(position);
  });

  it("refuse another user's cursor with a clear BAD_USER_INPUT on the field", () => {
    const err = (() => {
      try {
        decodeNotificationCursor(encodeNotificationCursor(position), '43', 'upTo');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', field: 'upTo', message: expect.stringContaining("another user's notifications") });
  });

  it('refuse malformed ones, timeline cursors included', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of ['', '!!', 'x'.repeat(200), b64('42:1:nope'), b64('42:x:like:11'), b64('0:1:like:11'), b64('1700000000000:11'), b64(`42:${'9'.repeat(17)}:like:11`)]) {
      expect(() => decodeNotificationCursor(bad, '42'), bad).toThrow(/not a valid notifications cursor/);
    }
  });
});
