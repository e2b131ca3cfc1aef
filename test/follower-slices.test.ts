import { describe, expect, it } from 'vitest';
import { createFollowGraph } from '../src/adapters/redis/follow-graph.js';
import { slicesBetween } from '../src/services/fan-out.js';
import { useScratchRedis } from './harness/scratch-redis.js';

describe('follower slices on a real Redis', () => {
  const scratch = useScratchRedis();

  it('cuts followers into slices that together hold each exactly once, even with runs of equal follow times', async () => {
    const graph = createFollowGraph(scratch.client);
    const author = '1';
    // 2,000 followers; follow times repeat in runs (a bulk import, a viral moment), one run of 700.
    for (let i = 0; i < 2000; i++) {
      const at = i < 700 ? 1_000 : 2_000 + Math.floor(i / 7);
      await graph.follow(String(10_000 + i), author, at);
    }
    const points = await graph.followerSplitPoints(author, 100);
    expect(points.length).toBeGreaterThan(5);
    expect([...points].sort((a, b) => a - b)).toEqual(points);
    expect(new Set(points).size).toBe(points.length);

    const seen: string[] = [];
    for (const slice of slicesBetween(points)) seen.push(...(await graph.followersBetween(author, slice.from, slice.to)));
    expect(seen.length).toBe(2000);
    expect(new Set(seen).size).toBe(2000);
  });

  it('has no split points for an audience that fits one slice', async () => {
    const graph = createFollowGraph(scratch.client);
    await graph.follow('5', '2', 1);
    await graph.follow('6', '2', 2);
    expect(await graph.followerSplitPoints('2', 100)).toEqual([]);
    expect(await graph.followerCount('2')).toBe(2);
  });
});
