import { describe, expect, it } from 'vitest';
import { PermanentError, RetryLaterError } from '../../domain/errors.js';
import { makeEvent, type FanOutSliceEvent, type OutgoingMessage } from '../../domain/events.js';
import { DEFAULT_RETRY_POLICY } from '../failure-policy.js';
import { ReplayAbortedError, replayOutcome, runOutgoingInline } from './replay.js';
import { incoming, ok, recordingPublisher } from './test-support.js';

const outcomeOf = (err: Error | null, retryTopic: string | null = 'ns.clicks.taste.retry') => {
  const { publisher, raw } = recordingPublisher();
  const step = replayOutcome({ publisher, retryTopic, policy: DEFAULT_RETRY_POLICY, attempts: 5 })(async () => {
    if (err) throw err;
    return { kind: 'handled', outgoing: [] };
  });
  return { run: (decoded = ok()) => step(incoming({ decoded, message: { topic: 'ns.clicks', offset: '9' } }).value), raw };
};

describe('replay outcome', () => {
  it('skips what the live group dead-lettered: unreadable messages and what retrying cannot help', async () => {
    expect(await outcomeOf(null).run({ ok: false, reason: 'undecodable: x', attempt: 1 })).toEqual({ kind: 'skipped', reason: 'undecodable: x' });
    expect(await outcomeOf(new PermanentError('bad')).run()).toEqual({ kind: 'skipped', reason: 'not retriable: bad' });
  });

  it('hands a message that is not ready yet to the live group’s retry topic, attempt 2', async () => {
    const { run, raw } = outcomeOf(new RetryLaterError('tweet 11 is not tagged yet'));
    expect(await run()).toEqual({ kind: 'deferred', reason: 'tweet 11 is not tagged yet' });
    expect(raw[0]).toMatchObject({ topic: 'ns.clicks.taste.retry', record: { headers: { 'x-attempt': '2', 'x-original-topic': 'ns.clicks', 'x-original-offset': '9' } } });
  });

  it('aborts on anything else, naming where', async () => {
    await expect(outcomeOf(new Error('redis down')).run()).rejects.toThrow(ReplayAbortedError);
    await expect(outcomeOf(new Error('redis down')).run()).rejects.toThrow('rebuild aborted at ns.clicks/2@9 after 5 attempts: redis down');
  });
});

describe('outgoing messages run inline', () => {
  it('runs a handler’s outgoing messages through their topic’s handler, in order, and what those return too', async () => {
    const tweet = { id: '5', authorId: '6', text: 't', createdAt: new Date().toISOString() };
    const slice = (from: number): OutgoingMessage => ({ topic: 'fanout-slices', key: `5:${from}`, event: makeEvent<FanOutSliceEvent>('fanout.slice', { tweet, postedAt: 1, from, to: null }) });
    const ran: number[] = [];
    const step = runOutgoingInline({
      'fanout-slices': async (event) => {
        const from = (event as FanOutSliceEvent).data.from!;
        ran.push(from);
        return from === 1 ? [slice(10)] : [];
      },
    })(async () => ({ kind: 'handled', outgoing: [slice(1), slice(2)] }));
    expect(await step(incoming({ decoded: ok() }).value)).toEqual({ kind: 'handled', outgoing: [] });
    expect(ran).toEqual([1, 10, 2]);
    const unwired = runOutgoingInline({})(async () => ({ kind: 'handled', outgoing: [slice(1)] }));
    await expect(unwired(incoming({ decoded: ok() }).value)).rejects.toThrow(/no inline handler for messages to fanout-slices/);
  });
});
