import { describe, expect, it } from 'vitest';
import { ClockMovedBackwardsError, createSnowflake, EPOCH_MS, isSnowflake, snowflakeTime } from './snowflake.js';

describe('snowflake ids', () => {
  it('encode the issuing millisecond', () => {
    const at = EPOCH_MS + 123_456_789;
    const id = createSnowflake(7, () => at).next();
    expect(snowflakeTime(id)).toBe(at);
  });

  it('strictly increase within one millisecond and across workers order by time', () => {
    const gen = createSnowflake(1, () => EPOCH_MS + 1000);
    const ids = Array.from({ length: 100 }, () => BigInt(gen.next()));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const later = BigInt(createSnowflake(0, () => EPOCH_MS + 1001).next());
    expect(later > ids[ids.length - 1]!).toBe(true);
  });

  it('waits for the next millisecond when the sequence is exhausted instead of repeating', () => {
    let now = EPOCH_MS + 5;
    let calls = 0;
    const gen = createSnowflake(3, () => {
      calls++;
      // Time advances only after the 4096 ids of the first millisecond are used up.
      if (calls > 4097) now = EPOCH_MS + 6;
      return now;
    });
    const ids = new Set(Array.from({ length: 4097 }, () => gen.next()));
    expect(ids.size).toBe(4097);
    expect(snowflakeTime([...ids][4096]!)).toBe(EPOCH_MS + 6);
  });

  it('refuses to issue ids when the clock moves backwards', () => {
    let now = EPOCH_MS + 10_000;
    const gen = createSnowflake(0, () => now);
    gen.next();
    now -= 5;
    expect(() => gen.next()).toThrow(ClockMovedBackwardsError);
  });

  it('rejects worker ids outside 10 bits', () => {
    expect(() => createSnowflake(1024)).toThrow(RangeError);
    expect(() => createSnowflake(-1)).toThrow(RangeError);
  });

  it('recognises well-formed ids only', () => {
    expect(isSnowflake(createSnowflake(0).next())).toBe(true);
    for (const bad of ['', '0', '01', 'abc', '-5', '1.5', '9223372036854775808', '1'.repeat(20)]) {
      expect(isSnowflake(bad)).toBe(false);
    }
    expect(() => snowflakeTime('x')).toThrow(RangeError);
  });
});
