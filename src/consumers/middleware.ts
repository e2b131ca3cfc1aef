import type { EventPublisher } from '../domain/events.js';
import type { Handler } from './definition.js';
import { failureLogFields, isRetriable } from './failure-policy.js';

/** Wraps a handler with cross-cutting behaviour; composed once by the runner, never inside handlers. */
export type Middleware = <E>(next: Handler<E>) => Handler<E>;

export function compose(middlewares: readonly Middleware[]): Middleware {
  return <E>(handler: Handler<E>) => middlewares.reduceRight<Handler<E>>((next, mw) => mw(next), handler);
}

export class ConsumerStoppingError extends Error {
  override name = 'ConsumerStoppingError';
}

export interface RetryOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all; then the error goes on to the runner (retry topic). Unbounded if absent. */
  maxAttempts?: number;
  /** True once shutdown began: stop retrying and leave the message uncommitted. */
  isStopping: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries a failing handler in place with exponential backoff, a few times, to ride out blips
 * (a Redis failover) without a trip through the retry topic. Errors marked `retriable: false`
 * are not retried. The offset is not committed meanwhile, so nothing is lost.
 */
export function retryInPlace(options: RetryOptions): Middleware {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return (next) => async (event, ctx) => {
    let delay = options.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(event, ctx);
      } catch (err) {
        if (options.isStopping()) throw new ConsumerStoppingError('consumer stopping; message left uncommitted', { cause: err });
        if (!isRetriable(err) || attempt >= (options.maxAttempts ?? Infinity)) throw err;
        const { level, fields } = failureLogFields(err);
        ctx.log[level]({ ...fields, attempt, retryInMs: delay }, 'handler failed; retrying');
        await sleep(delay);
        await ctx.heartbeat();
        delay = Math.min(delay * 2, options.maxDelayMs);
      }
    }
  };
}

/** Logs each processed message at debug with its duration. */
export const logProcessed: Middleware = (next) => async (event, ctx) => {
  const started = performance.now();
  const out = await next(event, ctx);
  ctx.log.debug({ ms: Math.round(performance.now() - started) }, 'processed');
  return out;
};

/**
 * Produces what the handler returned, in order, once it succeeded. Sits inside retry: a failed
 * produce re-runs the (idempotent) handler, so the outgoing messages are at-least-once.
 */
export function produceOutgoing(publisher: EventPublisher): Middleware {
  return (next) => async (event, ctx) => {
    const out = (await next(event, ctx)) ?? [];
    for (const message of out) await publisher.publish(message.topic, message.key, message.event);
    return [];
  };
}
