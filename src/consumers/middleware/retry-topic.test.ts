import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../domain/errors.js';
import { retryTopic } from './retry-topic.js';
import { incoming, ok, recordingPublisher } from './test-support.js';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };
const NOW = 5_000_000;

describe('retry-topic middleware', () => {
  it('hands a retriable failure to the retry topic with the next attempt and its not-before time', async () => {
    const { publisher, raw } = recordingPublisher();
    const step = retryTopic({ publisher, topic: 'ns.tweets.g.retry', policy, clock: () => NOW })(async () => {
      throw new Error('redis down');
    });
    const outcome = await step(incoming({ decoded: ok(undefined, 2) }).value);
    expect(outcome).toEqual({ kind: 'retry-scheduled', attempt: 3, notBefore: NOW + 2000 });
    expect(raw[0]).toMatchObject({
      topic: 'ns.tweets.g.retry',
      record: { key: 'k', headers: { 'x-attempt': '3', 'x-not-before': String(NOW + 2000), 'x-error': 'redis down', 'x-original-offset': '41' } },
    });
  });

  it('lets through what it will not retry: the last attempt, and what retrying cannot help', async () => {
    const { publisher, raw } = recordingPublisher();
    const failing = (err: Error) =>
      retryTopic({ publisher, topic: 'r', policy, clock: () => NOW })(async () => {
        throw err;
      });
    await expect(failing(new Error('down'))(incoming({ decoded: ok(undefined, 4) }).value)).rejects.toThrow('down');
    await expect(failing(new PermanentError('bad'))(incoming({ decoded: ok() }).value)).rejects.toThrow('bad');
    expect(raw).toEqual([]);
  });

  it('pauses the partition until a retried message is due, instead of waiting in the handler', async () => {
    const { publisher } = recordingPublisher();
    let ran = 0;
    const step = retryTopic({ publisher, topic: 'r', policy, clock: () => NOW })(async () => {
      ran++;
      return { kind: 'handled', outgoing: [] };
    });
    const early = incoming({ decoded: ok(undefined, 2, NOW + 1500) });
    expect(await step(early.value)).toEqual({ kind: 'paused', until: NOW + 1500 });
    expect(early.controls.paused).toEqual([NOW + 1500]);
    expect(ran).toBe(0);
    const due = incoming({ decoded: ok(undefined, 2, NOW - 1) });
    expect(await step(due.value)).toEqual({ kind: 'handled', outgoing: [] });
    expect(due.controls.paused).toEqual([]);
    expect(ran).toBe(1);
  });
});
