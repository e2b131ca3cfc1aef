import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function capture(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, out: { isTTY, write: (text: string) => void writes.push(text) } };
}

describe('progress', () => {
  it('prints a plain line every tenth and once at the end when not on a terminal', () => {
    const { writes, out } = capture(false);
    const phase = createProgress(out)('tweets', 200);
    for (let done = 1; done <= 200; done++) phase.update(done);
    phase.finish();
    phase.finish();
    expect(writes).toEqual([
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => `tweets: ${p * 2}/200 (${p}%)\n`),
      'tweets: 200/200 (100%)\n',
    ]);
  });

  it('prints one line for a jump over several tenths, and a line for an empty phase', () => {
    const { writes, out } = capture(false);
    const progress = createProgress(out);
    const phase = progress('clicks', 10);
    phase.update(7);
    phase.finish();
    progress('users', 0).finish();
    expect(writes).toEqual(['clicks: 7/10 (70%)\n', 'clicks: 10/10 (100%)\n', 'users: 0/0 (100%)\n']);
  });

  it('redraws a bar in place on a terminal, at most every 100 ms, and ends the line when finished', () => {
    const { writes, out } = capture(true);
    let clock = 0;
    const phase = createProgress(out, () => clock)('follows', 4);
    phase.update(1);
    clock = 150;
    phase.update(2);
    phase.update(3);
    phase.finish();
    const bar = (filled: number) => '#'.repeat(filled) + '-'.repeat(30 - filled);
    expect(writes).toEqual([
      `\rfollows          [${bar(0)}] 0/4 0%\x1b[K`,
      `\rfollows          [${bar(15)}] 2/4 50%\x1b[K`,
      `\rfollows          [${bar(30)}] 4/4 100%\x1b[K`,
      '\n',
    ]);
  });

  it('never reports more than the total', () => {
    const { writes, out } = capture(false);
    const phase = createProgress(out)('wipe', 5);
    phase.update(9);
    phase.finish();
    expect(writes).toEqual(['wipe: 5/5 (100%)\n']);
  });
});
