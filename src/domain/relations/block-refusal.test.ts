import { describe, expect, it } from 'vitest';
import { refuseAcrossBlock } from './block-refusal.js';

describe('refuseAcrossBlock', () => {
  it('passes when no block stands, either way', () => {
    expect(() => refuseAcrossBlock({ blocked: false, blockedBy: false }, '@bob', 'follow', 'handle')).not.toThrow();
    expect(() => refuseAcrossBlock(undefined, '@bob', 'follow', 'handle')).not.toThrow();
  });

  it('refuses with BLOCKED on the field, saying being blocked first', () => {
    expect(() => refuseAcrossBlock({ blocked: false, blockedBy: true }, '@bob', 'reply to', 'replyTo')).toThrow(
      expect.objectContaining({ code: 'BLOCKED', field: 'replyTo', message: '@bob has blocked you: you cannot reply to them' }),
    );
    expect(() => refuseAcrossBlock({ blocked: true, blockedBy: false }, '@bob', 'mention', 'text')).toThrow(
      expect.objectContaining({ code: 'BLOCKED', field: 'text', message: 'you blocked @bob: unblock them first' }),
    );
    expect(() => refuseAcrossBlock({ blocked: true, blockedBy: true }, '@bob', 'follow', 'handle')).toThrow(/has blocked you/);
  });
});
