import { describe, expect, it } from 'vitest';
import { comparePositions, decodeCursor, encodeCursor } from './cursor.js';
import { DomainError } from './errors.js';

describe('cursors', () => {
  it('round-trip a position', () => {
    const p = { score: 1_732_000_000_123, member: '123456789012345678' };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
  });

  it('reject anything we did not issue with BAD_USER_INPUT', () => {
    const forged = [
      '',
      'not base64!',
      Buffer.from('abc').toString('base64url'),
      Buffer.from('12:').toString('base64url'),
      Buffer.from('-1:5').toString('base64url'),
      Buffer.from('1:05').toString('base64url'),
      Buffer.from('99999999999999999:5').toString('base64url'),
      'A'.repeat(200),
    ];
    for (const cursor of forged) {
      expect(() => decodeCursor(cursor), cursor).toThrow(DomainError);
    }
  });

  it('order positions by score, then member in byte order, as Redis orders a sorted set', () => {
    expect(comparePositions({ score: 2, member: '1' }, { score: 1, member: '9' })).toBeGreaterThan(0);
    expect(comparePositions({ score: 1, member: '10' }, { score: 1, member: '9' })).toBeLessThan(0);
    expect(comparePositions({ score: 1, member: '5' }, { score: 1, member: '5' })).toBe(0);
  });
});
