import { describe, expect, it } from 'vitest';
import { PermanentError } from '../domain/errors.js';
import { planFailure } from './failure-policy.js';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };

describe('failure policy', () => {
  it('retries with exponential backoff up to the cap, then dead-letters', () => {
    expect(planFailure(1, new Error('down'), policy, 0)).toEqual({ kind: 'retry', attempt: 2, notBefore: 1000 });
    expect(planFailure(2, new Error('down'), policy, 0)).toEqual({ kind: 'retry', attempt: 3, notBefore: 2000 });
    expect(planFailure(3, new Error('down'), policy, 0)).toEqual({ kind: 'retry', attempt: 4, notBefore: 3000 });
    expect(planFailure(4, new Error('down'), policy, 0)).toEqual({ kind: 'dead-letter', reason: 'failed 4 attempts: down' });
  });

  it('dead-letters errors that say retrying cannot help at once', () => {
    const err = new PermanentError('bad payload');
    expect(planFailure(1, err, policy, 0)).toEqual({ kind: 'dead-letter', reason: 'not retriable: bad payload' });
  });
});
