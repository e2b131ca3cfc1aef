import { describe, expect, it } from 'vitest';
import type { MessageCallback, Subscriber, Subscription } from '../adapters/kafka/subscriber.js';
import { TweetEvent, makeEvent } from '../domain/events.js';
import { createLogger } from '../observability/logger.js';
import { defineConsumer } from './definition.js';
import { decode } from './middleware/decode.js';
import { kafkaMessage } from './middleware/test-support.js';
import { ConsumerStoppingError, type Middleware } from './middleware/types.js';
import { runConsumer } from './router.js';

/** A subscriber that delivers the given messages when asked, and records what the router did with each. */
function scriptedSubscriber() {
  let deliver: MessageCallback | undefined;
  const released: string[] = [];
  const subscriber: Subscriber = {
    async subscribe(onMessage): Promise<Subscription> {
      deliver = onMessage;
      return { state: () => 'running', failure: () => undefined, done: Promise.resolve(), stop: async () => undefined };
    },
  };
  const send = (offset: string, value: unknown) =>
    deliver!(kafkaMessage({ offset, value: Buffer.from(JSON.stringify(value)) }), {
      canPause: true,
      heartbeat: async () => undefined,
      pauseUntil: () => undefined,
      release: () => void released.push(offset),
    });
  return { subscriber, send, released };
}

const tweet = { id: '1234', authorId: '99', text: 'hi', createdAt: new Date().toISOString() };

describe('consumer router', () => {
  it('runs the middleware outermost first around the handler, which gets the decoded event and a bound log', async () => {
    const order: string[] = [];
    const trace = (name: string): Middleware => (next) => async (i) => {
      order.push(`${name} in`);
      const out = await next(i);
      order.push(`${name} out`);
      return out;
    };
    const handled: unknown[] = [];
    const definition = defineConsumer<TweetEvent>({ group: 'g', topic: 'tweets', schema: TweetEvent, handle: async (e) => void handled.push(e) });
    const { subscriber, send } = scriptedSubscriber();
    await runConsumer(definition, subscriber, [decode({ schema: TweetEvent, retryTopic: null, maxNotBeforeAheadMs: 0 }), trace('a'), trace('b')], createLogger({ level: 'silent' }));
    const event = makeEvent<TweetEvent>('tweet.created', { tweet });
    await send('1', event);
    expect(order).toEqual(['a in', 'b in', 'b out', 'a out']);
    expect(handled).toEqual([event]);
  });

  it('leaves a message uncommitted (released) when the consumer stops in the middle of it', async () => {
    const stopping: Middleware = () => async () => {
      throw new ConsumerStoppingError('stopping');
    };
    const definition = defineConsumer<TweetEvent>({ group: 'g', topic: 'tweets', schema: TweetEvent, handle: async () => undefined });
    const { subscriber, send, released } = scriptedSubscriber();
    await runConsumer(definition, subscriber, [stopping], createLogger({ level: 'silent' }));
    await send('7', {});
    expect(released).toEqual(['7']);
  });

  it('lets an error that escapes the middleware reach the subscriber, so nothing is skipped silently', async () => {
    const broken: Middleware = () => async () => {
      throw new Error('dead-letter topic unreachable');
    };
    const definition = defineConsumer<TweetEvent>({ group: 'g', topic: 'tweets', schema: TweetEvent, handle: async () => undefined });
    const { subscriber, send } = scriptedSubscriber();
    await runConsumer(definition, subscriber, [broken], createLogger({ level: 'silent' }));
    await expect(send('8', {})).rejects.toThrow('dead-letter topic unreachable');
  });
});
