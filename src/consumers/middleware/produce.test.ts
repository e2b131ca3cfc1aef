import { describe, expect, it } from 'vitest';
import { makeEvent, type FanOutSliceEvent } from '../../domain/events.js';
import { produce } from './produce.js';
import { incoming, ok, recordingPublisher } from './test-support.js';

describe('produce middleware', () => {
  it('produces what the handler returned, in order, only once it succeeded', async () => {
    const { publisher, published } = recordingPublisher();
    const tweet = { id: '5', authorId: '6', text: 't', createdAt: new Date().toISOString() };
    const messages = [1, 2].map((n) => ({ topic: 'fanout-slices' as const, key: `5:${n}`, event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: 1, from: n, to: null }) }));
    const outcome = await produce(publisher)(async () => ({ kind: 'handled', outgoing: messages }))(incoming({ decoded: ok() }).value);
    expect(published.map((m) => m.key)).toEqual(['5:1', '5:2']);
    expect(outcome).toEqual({ kind: 'handled', outgoing: [] });
    await expect(
      produce(publisher)(async () => {
        throw new Error('handler failed');
      })(incoming({ decoded: ok() }).value),
    ).rejects.toThrow('handler failed');
    expect(published).toHaveLength(2);
  });
});
