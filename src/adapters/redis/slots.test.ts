import { describe, expect, it } from 'vitest';
import { indexesBySlot, slotOf } from './slots.js';

describe('hash slots', () => {
  it('match Redis Cluster (CRC16 of the key, or of its hash tag, mod 16384)', () => {
    // Values from the Redis Cluster specification / CLUSTER KEYSLOT.
    expect(slotOf('somekey')).toBe(11058);
    expect(slotOf('foo')).toBe(12182);
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'));
    expect(slotOf('{}foo')).not.toBe(slotOf('{}bar')); // an empty tag hashes the whole key
  });

  it('group key indexes per slot, keeping input order inside each group', () => {
    const keys = ['{a}:1', 'b', '{a}:2', 'c', '{a}:3', 'b'];
    const groups = indexesBySlot(keys);
    expect(groups.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(groups).toContainEqual([0, 2, 4]);
    expect(groups).toContainEqual([1, 5]);
    expect(groups).toContainEqual([3]);
  });
});
