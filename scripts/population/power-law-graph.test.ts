import { describe, expect, it } from 'vitest';
import { buildPowerLawGraph, countEdges, followerCountAtRank, invertRows, rowOf } from './power-law-graph.js';

const options = { users: 2_000, maxFollowers: 1_500, exponent: 1, seed: 3 };

describe('power-law follow graph', () => {
  it('gives rank r ⌊max · r^−α⌋ followers, capped at max and at users − 1', () => {
    expect(followerCountAtRank(1, options)).toBe(1_500);
    expect(followerCountAtRank(3, options)).toBe(500);
    expect(followerCountAtRank(1_501, options)).toBe(0);
    expect(followerCountAtRank(1, { ...options, maxFollowers: 5_000 })).toBe(1_999);
    expect(followerCountAtRank(7, { ...options, exponent: 0 })).toBe(1_500);
  });

  it('has exactly those counts, distinct followers and no self-follows', () => {
    const graph = buildPowerLawGraph(options);
    expect(graph.followers.length).toBe(countEdges(options));
    for (let u = 0; u < options.users; u++) {
      const row = rowOf(graph, u);
      expect(row.length).toBe(followerCountAtRank(u + 1, options));
      expect(new Set(row).size).toBe(row.length);
      expect(row.includes(u)).toBe(false);
      expect(row.every((f) => f >= 0 && f < options.users)).toBe(true);
    }
  });

  it('handles a user followed by everyone else (the complement path)', () => {
    const graph = buildPowerLawGraph({ users: 1_001, maxFollowers: 1_000, exponent: 2, seed: 1 });
    expect([...rowOf(graph, 0)].sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(rowOf(graph, 1).length).toBe(250);
  });

  it('is deterministic for a seed and different for another', () => {
    expect(buildPowerLawGraph(options)).toEqual(buildPowerLawGraph(options));
    expect(buildPowerLawGraph({ ...options, seed: 4 }).followers).not.toEqual(buildPowerLawGraph(options).followers);
  });

  it('inverts to the same edge set', () => {
    const graph = buildPowerLawGraph({ ...options, users: 300, maxFollowers: 200 });
    const following = invertRows(graph);
    const edges = (g: typeof graph, flip: boolean) => {
      const out: string[] = [];
      for (let u = 0; u + 1 < g.offsets.length; u++) for (const v of rowOf(g, u)) out.push(flip ? `${v}>${u}` : `${u}>${v}`);
      return out.sort();
    };
    // followers rows: u is followed by v (v>u); following rows: u follows v (u>v).
    expect(edges(graph, true)).toEqual(edges(following, false));
  });
});
