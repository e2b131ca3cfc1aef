import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import { isRetriable, RetryLaterError } from '../../domain/errors.js';
import type { OutgoingMessage } from '../../domain/events.js';
import { planFailure, type RetryPolicy } from '../failure-policy.js';
import { handToRetryTopic } from './retry-topic.js';
import { decodedOf, type Incoming, type Middleware } from './types.js';

/** A replay stopped: Redis kept failing at one message, so nothing after it was replayed. */
export class ReplayAbortedError extends Error {
  override name = 'ReplayAbortedError';
}

/**
 * What a replay does with a message the live group would have set aside, outermost in a replay's
 * middleware: one that cannot be read, or whose handler says retrying cannot help, is skipped (the
 * live group dead-lettered it too); one whose input is not ready yet (RetryLaterError: a click on
 * a tweet the tagger has not reached) goes to the live group's retry topic, exactly as the group
 * itself would hand it on, when the group has one; any other failure, after the attempts in place
 * inside, aborts the replay.
 */
export function replayOutcome(options: {
  publisher: Pick<KafkaPublisher, 'sendRaw'>;
  /** The live group's retry topic, for messages not ready yet; null when the handler has no live group. */
  retryTopic: string | null;
  policy: RetryPolicy;
  /** Attempts made inside (for the abort message). */
  attempts: number;
}): Middleware {
  return (next) => async (incoming) => {
    const decoded = decodedOf(incoming);
    if (!decoded.ok) return { kind: 'skipped', reason: decoded.reason };
    try {
      return await next(incoming);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof RetryLaterError && options.retryTopic) {
        const plan = planFailure(1, err, options.policy, Date.now());
        if (plan.kind === 'dead-letter') return { kind: 'skipped', reason: plan.reason };
        await handToRetryTopic(options.publisher, options.retryTopic, incoming.message, plan, err);
        return { kind: 'deferred', reason };
      }
      if (!isRetriable(err)) return { kind: 'skipped', reason: `not retriable: ${reason}` };
      const { topic, partition, offset } = incoming.message;
      throw new ReplayAbortedError(`rebuild aborted at ${topic}/${partition}@${offset} after ${options.attempts} attempts: ${reason}`, { cause: err });
    }
  };
}

/**
 * Runs what a handler returned inline instead of producing it: in a replay, a large fan-out's
 * slices are written here, in order, by the slice group's own handler. A message for a topic
 * without an inline handler is a wiring error and aborts.
 */
export function runOutgoingInline(handlers: Partial<Record<OutgoingMessage['topic'], (event: unknown, incoming: Incoming) => Promise<readonly OutgoingMessage[]>>>): Middleware {
  const run = async (messages: readonly OutgoingMessage[], incoming: Incoming): Promise<void> => {
    for (const message of messages) {
      const handler = handlers[message.topic];
      if (!handler) throw new Error(`replay has no inline handler for messages to ${message.topic}`);
      await run(await handler(message.event, incoming), incoming);
    }
  };
  return (next) => async (incoming) => {
    const outcome = await next(incoming);
    if (outcome.kind !== 'handled') return outcome;
    await run(outcome.outgoing, incoming);
    return { kind: 'handled', outgoing: [] };
  };
}
