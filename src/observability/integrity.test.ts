import { Counter, Registry } from 'prom-client';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRecordIntegrity } from './integrity.js';

describe('record integrity', () => {
  it('counts every skipped record, and logs each record at most once a minute with how often it was skipped meanwhile', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ base: {} }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const counter = new Counter({ name: 'skipped_total', help: 'x', labelNames: ['record', 'reason'] as const, registers: [new Registry()] });
    let now = 0;
    const integrity = createRecordIntegrity({ logger, counter, clock: () => now });

    integrity.skipped('tweet', '11', 'missing_author', { authorId: '7' });
    integrity.skipped('tweet', '11', 'missing_author', { authorId: '7' });
    integrity.skipped('tweet', '12', 'corrupt', { part: 'tweet' });
    now = 61_000;
    integrity.skipped('tweet', '11', 'missing_author', { authorId: '7' });

    expect((await counter.get()).values).toEqual([
      { labels: { record: 'tweet', reason: 'missing_author' }, value: 3 },
      { labels: { record: 'tweet', reason: 'corrupt' }, value: 1 },
    ]);
    expect(lines.map(({ record, id, reason, authorId, part, skippedSinceLastLog }) => ({ record, id, reason, authorId, part, skippedSinceLastLog }))).toEqual([
      { record: 'tweet', id: '11', reason: 'missing_author', authorId: '7', part: undefined, skippedSinceLastLog: undefined },
      { record: 'tweet', id: '12', reason: 'corrupt', authorId: undefined, part: 'tweet', skippedSinceLastLog: undefined },
      { record: 'tweet', id: '11', reason: 'missing_author', authorId: '7', part: undefined, skippedSinceLastLog: 1 },
    ]);
    expect(lines.every((l) => l.level === 40 && l.msg === 'left a missing or corrupt record out of a read')).toBe(true);
  });
});
