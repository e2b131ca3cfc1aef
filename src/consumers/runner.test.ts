import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FollowEvent, makeEvent, TweetEvent } from '../domain/events.js';
import { createLogger } from '../observability/logger.js';
import { defineConsumer, type HandlerContext } from './definition.js';
import { compose, ConsumerStoppingError, retryInPlace } from './middleware.js';
import { decodeMessage } from './runner.js';

const definition = defineConsumer<TweetEvent>({ group: 'g', topic: 'tweets', schema: TweetEvent, handle: async () => {} });
const tweet = { id: '1234', authorId: '99', text: 'hi', createdAt: new Date().toISOString() };

describe('message decoding', () => {
  it('accepts a valid envelope', () => {
    const event = makeEvent<TweetEvent>('tweet.created', { tweet });
    const result = decodeMessage(definition, Buffer.from(JSON.stringify(event)));
    expect(result).toEqual({ ok: true, event });
  });

  it('rejects, without throwing, what is not a valid event of the topic', () => {
    const cases: (Buffer | null)[] = [
      null,
      Buffer.from('not json'),
      Buffer.from('{}'),
      Buffer.from(JSON.stringify({ ...makeEvent<TweetEvent>('tweet.created', { tweet }), v: 2 })),
      Buffer.from(JSON.stringify(makeEvent<TweetEvent>('tweet.created', { tweet: { ...tweet, id: 'x' } }))),
      Buffer.from(JSON.stringify(makeEvent<FollowEvent>('follow.created', { followerId: '1', followeeId: '2' }))),
    ];
    for (const value of cases) {
      const result = decodeMessage(definition, value);
      expect(result.ok, String(value)).toBe(false);
    }
  });

  it('explains where validation failed', () => {
    const bad = decodeMessage(defineConsumer({ group: 'g', topic: 'tweets', schema: z.object({ a: z.number() }), handle: async () => {} }), Buffer.from('{"a":"x"}'));
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('a:') });
  });
});

describe('retry middleware', () => {
  const ctx: HandlerContext = { log: createLogger({ level: 'silent' }), heartbeat: async () => {} };

  it('retries a failing handler with growing delays until it succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const handler = compose([retryInPlace({ initialDelayMs: 10, maxDelayMs: 25, isStopping: () => false, sleep: async (ms) => void delays.push(ms) })])(
      async () => {
        if (++calls < 4) throw new Error('redis down');
      },
    );
    await handler({}, ctx);
    expect(calls).toBe(4);
    expect(delays).toEqual([10, 20, 25]);
  });

  it('gives up only when the consumer is stopping, so the message stays uncommitted', async () => {
    let stopping = false;
    const handler = retryInPlace({ initialDelayMs: 1, maxDelayMs: 1, isStopping: () => stopping, sleep: async () => void (stopping = true) })(
      async () => {
        throw new Error('still down');
      },
    );
    await expect(handler({}, ctx)).rejects.toBeInstanceOf(ConsumerStoppingError);
  });
});
