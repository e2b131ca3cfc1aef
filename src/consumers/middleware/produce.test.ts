import { describe, expect, it } from 'vitest';
import { makeEvent, type FanOutSliceEvent } from '../../domain/events.js';
import { produce } from './produce.js';
import { incoming, ok, recordingPublisher } from './test-support.js';

describe('produce middleware', () => {
  it('produces what the handler returned, in order, only once it succeeded', async () => {
    const { publisher, published, batches } = recordingPublisher();
    const tweet = { id: '5', authorId: '6', text: 't', createdAt: new Date().toISOString() };
    const messages = [1, 2].map((n) => ({ topic: 'fanout-slices' as const, key: `5:${n}`, event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: 1, from: n, to: null }) }));
    const outcome = await produce(publisher)(async () => ({ kind: 'handled', outgoing: messages }))(incoming({ decoded: ok() }).value);
    expect(published.map((m) => m.key)).toEqual(['5:1', '5:2']);
    // Together, not one awaited round trip per message.
    expect(batches).toEqual([2]);
    expect(outcome).toEqual({ kind: 'handled', outgoing: [] });
    await expect(
      produce(publisher)(async () => {
        throw new Error('handler failed');
      })(incoming({ decoded: ok() }).value),
    ).rejects.toThrow('handler failed');
    expect(published).toHaveLength(2);
  });

  it('is done with a message (handled, so committable) only once every outgoing message was acknowledged', async () => {
    let acknowledge: () => void = () => undefined;
    let sent: readonly unknown[] = [];
    const publisher = {
      publishAll: (messages: readonly unknown[]) => {
        sent = messages;
        return new Promise<void>((resolve) => (acknowledge = resolve));
      },
    };
    const tweet = { id: '5', authorId: '6', text: 't', createdAt: new Date().toISOString() };
    const messages = [1, 2, 3].map((n) => ({ topic: 'fanout-slices' as const, key: `5:${n}`, event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: 1, from: n, to: null }) }));
    let done = false;
    const outcome = produce(publisher)(async () => ({ kind: 'handled', outgoing: messages }))(incoming({ decoded: ok() }).value).then((o) => ((done = true), o));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(3);
    expect(done).toBe(false);
    acknowledge();
    expect(await outcome).toEqual({ kind: 'handled', outgoing: [] });
  });

  it('lets a failed produce through to the retry middleware, so the message is not done with', async () => {
    const publisher = { publishAll: async () => Promise.reject(new Error('broker gone')) };
    await expect(produce(publisher)(async () => ({ kind: 'handled', outgoing: [] }))(incoming({ decoded: ok() }).value)).rejects.toThrow('broker gone');
  });
});
