import { isRetriable } from '../../domain/errors.js';
import { failureLogFields } from '../failure-policy.js';
import { ConsumerStoppingError, type Middleware } from './types.js';

export interface RetryInPlaceOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all; then the error goes on outwards (the retry topic, or a replay's abort). */
  maxAttempts: number;
  /** Which failures are worth another quick attempt (default: the retriable ones). */
  shouldRetry?: (err: unknown) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries a failing step in place with exponential backoff, a few times, to ride out blips (a
 * Redis failover) without a trip through the retry topic. The offset is not committed meanwhile,
 * so nothing is lost. When the consumer begins to stop, it gives up with ConsumerStoppingError and
 * the message stays uncommitted for the next member.
 */
export function retryInPlace(options: RetryInPlaceOptions): Middleware {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const shouldRetry = options.shouldRetry ?? isRetriable;
  return (next) => async (incoming) => {
    let delay = options.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(incoming);
      } catch (err) {
        if (err instanceof ConsumerStoppingError) throw err;
        incoming.failures++;
        if (incoming.isStopping()) throw new ConsumerStoppingError('consumer stopping; message left uncommitted', { cause: err });
        if (!shouldRetry(err) || attempt >= options.maxAttempts) throw err;
        const { level, fields } = failureLogFields(err);
        incoming.log[level]({ ...fields, attempt, retryInMs: delay }, 'handler failed; retrying');
        await sleep(delay);
        await incoming.controls.heartbeat();
        delay = Math.min(delay * 2, options.maxDelayMs);
      }
    }
  };
}
