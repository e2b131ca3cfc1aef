import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../domain/errors.js';
import { deadLetter } from './dead-letter.js';
import { incoming, ok, recordingPublisher } from './test-support.js';
import { ConsumerStoppingError } from './types.js';

const TOPIC = 'ns.tweets.g.dlq';

describe('dead-letter middleware', () => {
  it('sends an unreadable message on without running anything inside, with where it came from', async () => {
    const { publisher, raw } = recordingPublisher();
    let ran = false;
    const step = deadLetter({ publisher, topic: TOPIC })(async () => {
      ran = true;
      return { kind: 'handled', outgoing: [] };
    });
    const outcome = await step(incoming({ decoded: { ok: false, reason: 'undecodable: value is not JSON', attempt: 1 }, message: { headers: { trace: 't1' } } }).value);
    expect(ran).toBe(false);
    expect(outcome).toEqual({ kind: 'dead-lettered', reason: 'undecodable: value is not JSON' });
    expect(raw).toHaveLength(1);
    expect(raw[0]!.topic).toBe(TOPIC);
    expect(raw[0]!.record.headers).toMatchObject({
      trace: 't1',
      'x-original-topic': 'ns.tweets',
      'x-original-partition': '2',
      'x-original-offset': '41',
      'x-attempt': '1',
      'x-error': 'undecodable: value is not JSON',
    });
  });

  it('keeps the origin of a message that is itself a copy (from the retry topic)', async () => {
    const { publisher, raw } = recordingPublisher();
    const step = deadLetter({ publisher, topic: TOPIC })(async () => {
      throw new Error('down');
    });
    const headers = { 'x-original-topic': 'ns.tweets', 'x-original-partition': '7', 'x-original-offset': '3' };
    await step(incoming({ decoded: ok(undefined, 6), message: { topic: 'ns.tweets.g.retry', headers } }).value);
    expect(raw[0]!.record.headers).toMatchObject({ ...headers, 'x-attempt': '6', 'x-error': 'failed 6 attempts: down' });
  });

  it('says whether it gave up because retrying cannot help or because the attempts ran out', async () => {
    const { publisher } = recordingPublisher();
    const permanent = deadLetter({ publisher, topic: TOPIC })(async () => {
      throw new PermanentError('cannot process this payload');
    });
    expect(await permanent(incoming({ decoded: ok() }).value)).toEqual({ kind: 'dead-lettered', reason: 'not retriable: cannot process this payload' });
  });

  it('leaves a message uncommitted when the consumer stops, instead of dead-lettering it', async () => {
    const { publisher, raw } = recordingPublisher();
    const step = deadLetter({ publisher, topic: TOPIC })(async () => {
      throw new ConsumerStoppingError('stopping');
    });
    await expect(step(incoming({ decoded: ok() }).value)).rejects.toBeInstanceOf(ConsumerStoppingError);
    expect(raw).toEqual([]);
  });
});
