import { describe, expect, it } from 'vitest';
import { LiveQueue } from './live-queue.js';

describe('live queue', () => {
  it('hands items to a waiting reader and buffers up to capacity', async () => {
    const q = new LiveQueue<number>(2, () => {});
    const first = q.next();
    expect(q.push(1)).toBe(true);
    expect(await first).toEqual({ value: 1, done: false });
    expect(q.push(2)).toBe(true);
    expect(q.push(3)).toBe(true);
    expect(q.push(4)).toBe(false);
    expect(await q.next()).toEqual({ value: 2, done: false });
    expect(await q.next()).toEqual({ value: 3, done: false });
  });

  it('releases once when the reader stops, and ends pending reads', async () => {
    let released = 0;
    const q = new LiveQueue<number>(2, () => released++);
    const pending = q.next();
    await q.return();
    q.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(released).toBe(1);
  });
});
