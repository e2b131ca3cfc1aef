import type { BatchPublisher } from '../../domain/events.js';
import type { Middleware } from './types.js';

/**
 * Produces what the handler returned, in order, once it succeeded: all of it together (one
 * produce request where it fits, not one awaited round trip per message), and the outcome is
 * `handled` (so the offset may be committed) only once the broker acknowledged every message.
 * Sits inside retry: a failed produce re-runs the (idempotent) handler, so the outgoing messages
 * are at-least-once.
 */
export function produce(publisher: BatchPublisher): Middleware {
  return (next) => async (incoming) => {
    const outcome = await next(incoming);
    if (outcome.kind !== 'handled') return outcome;
    await publisher.publishAll(outcome.outgoing);
    return { kind: 'handled', outgoing: [] };
  };
}
