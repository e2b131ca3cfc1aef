import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FollowEvent, makeEvent, TweetEvent } from '../../domain/events.js';
import { decode, decodeMessage, decodeValue } from './decode.js';
import { incoming, kafkaMessage } from './test-support.js';

const tweet = { id: '1234', authorId: '99', text: 'hi', createdAt: new Date().toISOString() };
const options = { schema: TweetEvent, retryTopic: 'ns.tweets.g.retry', maxNotBeforeAheadMs: 120_000 };

describe('message decoding', () => {
  it('accepts a valid envelope', () => {
    const event = makeEvent<TweetEvent>('tweet.created', { tweet });
    const result = decodeValue(TweetEvent, Buffer.from(JSON.stringify(event)));
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
      const result = decodeValue(TweetEvent, value);
      expect(result.ok, String(value)).toBe(false);
    }
  });

  it('explains where validation failed', () => {
    const bad = decodeValue(z.object({ a: z.number() }), Buffer.from('{"a":"x"}'));
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('a:') });
  });
});

describe('the decode middleware', () => {
  const value = Buffer.from(JSON.stringify(makeEvent<TweetEvent>('tweet.created', { tweet })));
  const onRetry = (headers: Record<string, string>) => decodeMessage(kafkaMessage({ topic: options.retryTopic, value, headers }), options);

  it('reads the attempt and not-before of a retried message', () => {
    expect(onRetry({ 'x-attempt': '3', 'x-not-before': '1060000' })).toMatchObject({ ok: true, attempt: 3, notBefore: 1_060_000 });
    expect(onRetry({})).toMatchObject({ ok: true, attempt: 1, notBefore: null });
  });

  it('marks unreadable retry headers instead of throwing: a malformed attempt, a time that is not one, a wait no retry asks for', () => {
    for (const headers of [{ 'x-attempt': 'abc' } as Record<string, string>, { 'x-attempt': '0' }, { 'x-attempt': '1e3' }, { 'x-not-before': 'soon' }, { 'x-not-before': '-5' }]) {
      expect(onRetry(headers), JSON.stringify(headers)).toMatchObject({ ok: false, reason: expect.stringMatching(/^unreadable header: x-/) });
    }
    // A day after the message was written: further than the policy ever waits.
    expect(onRetry({ 'x-not-before': String(1_000_000 + 86_400_000) })).toMatchObject({ ok: false, reason: expect.stringContaining('more than any retry waits') });
  });

  it('reads retry headers only on the group’s retry topic', () => {
    expect(decodeMessage(kafkaMessage({ value, headers: { 'x-attempt': 'abc', 'x-not-before': '9'.repeat(15) } }), options)).toMatchObject({
      ok: true,
      attempt: 1,
      notBefore: null,
    });
  });

  it('passes the decoded message on, whatever it holds', async () => {
    const seen: unknown[] = [];
    const step = decode(options)(async (i) => {
      seen.push(i.decoded);
      return { kind: 'handled', outgoing: [] };
    });
    await step(incoming({ message: { value: Buffer.from('nope') } }).value);
    expect(seen).toEqual([{ ok: false, reason: 'undecodable: value is not JSON', attempt: 1 }]);
  });
});
