import { describe, expect, it } from 'vitest';
import { createFollowGraph } from '../src/adapters/redis/follow-graph.js';
import type { Position } from '../src/domain/cursor.js';
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
    for (const slice of slicesBetween(points)) {
      // Walked in chunks smaller than the run of equal times, so chunks resume inside the run.
      for (let after = null as Position | null, done = false; !done; ) {
        const chunk = await graph.followersAfter(author, after, 64, slice);
        seen.push(...chunk.ids);
        ({ last: after, done } = chunk);
      }
    }
    expect(seen.length).toBe(2000);
    expect(new Set(seen).size).toBe(2000);
  });

  it('walks followers by (follow time, id) position: a concurrent follow or unfollow never makes it skip or repeat anyone', async () => {
    const graph = createFollowGraph(scratch.client);
    const author = '3';
    // Runs of equal follow times, so positions inside a run are tested too.
    for (let i = 0; i < 300; i++) await graph.follow(String(20_000 + i), author, 1_000 + Math.floor(i / 10));
    const seen: string[] = [];
    let after: Position | null = null;
    for (let round = 0; ; round++) {
      const chunk = await graph.followersAfter(author, after, 25);
      seen.push(...chunk.ids);
      if (chunk.done) break;
      after = chunk.last;
      // Between chunks: the last follower handed out leaves, someone behind the walk leaves, and
      // newcomers arrive behind the walk (not returned) and ahead of it (returned).
      await graph.unfollow(chunk.last!.member, author);
      await graph.unfollow(seen[0]!, author);
      await graph.follow(`9${round}`, author, 500);
      await graph.follow(`8${round}`, author, 5_000 + round);
      if (round > 40) throw new Error('the walk does not end');
    }
    const original = Array.from({ length: 300 }, (_, i) => String(20_000 + i));
    expect(seen.filter((id) => id.startsWith('2'))).toEqual(original);
    expect(seen.some((id) => id.startsWith('9'))).toBe(false);
    expect(seen.filter((id) => id.startsWith('8')).length).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('has no split points for an audience that fits one slice', async () => {
    const graph = createFollowGraph(scratch.client);
    await graph.follow('5', '2', 1);
    await graph.follow('6', '2', 2);
    expect(await graph.followerSplitPoints('2', 100)).toEqual([]);
    expect(await graph.followerCount('2')).toBe(2);
  });
});
