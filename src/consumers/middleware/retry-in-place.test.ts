import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../domain/errors.js';
import { retryInPlace } from './retry-in-place.js';
import { incoming, ok } from './test-support.js';
import { compose, ConsumerStoppingError } from './types.js';

describe('retry in place', () => {
  it('retries a failing handler with growing delays until it succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const step = compose([retryInPlace({ initialDelayMs: 10, maxDelayMs: 25, maxAttempts: 10, sleep: async (ms) => void delays.push(ms) })])(async () => {
      if (++calls < 4) throw new Error('redis down');
      return { kind: 'handled', outgoing: [] };
    });
    const { value, controls } = incoming({ decoded: ok() });
    await step(value);
    expect(calls).toBe(4);
    expect(delays).toEqual([10, 20, 25]);
    expect(value.failures).toBe(3);
    expect(controls.heartbeats).toBe(3);
  });

  it('gives up only when the consumer is stopping, so the message stays uncommitted', async () => {
    let stopping = false;
    const step = retryInPlace({ initialDelayMs: 1, maxDelayMs: 1, maxAttempts: Infinity, sleep: async () => void (stopping = true) })(async () => {
      throw new Error('still down');
    });
    await expect(step(incoming({ decoded: ok(), stopping: () => stopping }).value)).rejects.toBeInstanceOf(ConsumerStoppingError);
  });

  it('passes on at once what retrying cannot help, and the last failure after its attempts', async () => {
    let calls = 0;
    const permanent = retryInPlace({ initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 5, sleep: async () => undefined })(async () => {
      calls++;
      throw new PermanentError('bad payload');
    });
    await expect(permanent(incoming({ decoded: ok() }).value)).rejects.toThrow('bad payload');
    expect(calls).toBe(1);
    calls = 0;
    const flaky = retryInPlace({ initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 3, sleep: async () => undefined })(async () => {
      calls++;
      throw new Error('down');
    });
    await expect(flaky(incoming({ decoded: ok() }).value)).rejects.toThrow('down');
    expect(calls).toBe(3);
  });
});
