import { describe, expect, it } from 'vitest';
import { decayedWeight, decayFactor, REBASE_AFTER_HALF_LIVES, scaledIncrement } from './decay.js';

const DAY = 24 * 60 * 60 * 1000;
const H = 7 * DAY;

describe('anchored exponential decay', () => {
  it('stores a weight so that reading it back at the click time gives the weight', () => {
    const anchor = Date.UTC(2025, 0, 1);
    for (const at of [anchor, anchor + 3 * DAY, anchor + 400 * DAY, anchor - 2 * DAY]) {
      expect(decayedWeight(scaledIncrement(1, at, anchor, H), anchor, at, H)).toBeCloseTo(1, 12);
    }
  });

  it('halves a click once per half-life', () => {
    const anchor = 0;
    const stored = scaledIncrement(1, 0, anchor, H);
    expect(decayedWeight(stored, anchor, H, H)).toBeCloseTo(0.5, 12);
    expect(decayedWeight(stored, anchor, 3 * H, H)).toBeCloseTo(0.125, 12);
  });

  it('lets a recent click outweigh two old ones by exactly the decay', () => {
    const anchor = 0;
    const old = 2 * scaledIncrement(1, 0, anchor, H);
    const recent = scaledIncrement(1, 2 * H, anchor, H);
    // At any reading time: old = 2 · 2^-2 of its weight = 0.5 against recent's 1.
    expect(decayedWeight(recent, anchor, 2 * H, H) / decayedWeight(old, anchor, 2 * H, H)).toBeCloseTo(2, 12);
    expect(recent).toBeGreaterThan(old);
  });

  it('gives the same current weights after rescaling to a new anchor (rebase)', () => {
    const anchor = 0;
    const later = REBASE_AFTER_HALF_LIVES * H;
    const stored = scaledIncrement(3, 10 * DAY, anchor, H);
    const rebased = stored * 2 ** (-(later - anchor) / H);
    const now = later + 5 * DAY;
    expect(decayedWeight(rebased, later, now, H)).toBeCloseTo(decayedWeight(stored, anchor, now, H), 12);
  });

  it('keeps increments finite for centuries of clicks when rebased every 64 half-lives', () => {
    expect(Number.isFinite(scaledIncrement(1, REBASE_AFTER_HALF_LIVES * H, 0, H))).toBe(true);
    expect(scaledIncrement(1, REBASE_AFTER_HALF_LIVES * H, 0, H)).toBe(2 ** 64);
  });

  it('has a recency factor of 1 at age 0, 1/2 at one half-life, never above 1', () => {
    expect(decayFactor(0, DAY)).toBe(1);
    expect(decayFactor(DAY, DAY)).toBe(0.5);
    expect(decayFactor(-DAY, DAY)).toBe(1);
  });
});
