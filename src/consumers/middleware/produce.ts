import type { EventPublisher } from '../../domain/events.js';
import type { Middleware } from './types.js';

/**
 * Produces what the handler returned, in order, once it succeeded. Sits inside retry: a failed
 * produce re-runs the (idempotent) handler, so the outgoing messages are at-least-once.
 */
export function produce(publisher: EventPublisher): Middleware {
  return (next) => async (incoming) => {
    const outcome = await next(incoming);
    if (outcome.kind !== 'handled') return outcome;
    for (const message of outcome.outgoing) await publisher.publish(message.topic, message.key, message.event);
    return { kind: 'handled', outgoing: [] };
  };
}
