import type { KafkaMessage } from '../../adapters/kafka/message.js';
import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import { failureLogFields, HEADERS, originHeaders, planFailure, type RetryPolicy } from '../failure-policy.js';
import { ConsumerStoppingError, decodedOf, type Middleware } from './types.js';

/**
 * The group's retry topic, both ways. Out: a failure that retrying can help (after the quick
 * attempts in place) goes to `<topic>.<group>.retry` with the next attempt number and a not-before
 * time from the policy; the message is done with here, so the partition moves on. Past the last
 * attempt, or when retrying cannot help, the error goes on to the dead-letter middleware. In: a
 * retried message that is not due yet pauses its partition until it is (the subscriber delivers it
 * again then); no handler ever waits for it.
 */
export function retryTopic(options: { publisher: KafkaPublisher; topic: string; policy: RetryPolicy; clock?: () => number }): Middleware {
  const now = options.clock ?? Date.now;
  return (next) => async (incoming) => {
    const decoded = decodedOf(incoming);
    const notBefore = decoded.ok ? decoded.notBefore : null;
    if (notBefore !== null && notBefore > now() && incoming.controls.canPause) {
      incoming.controls.pauseUntil(notBefore);
      incoming.log.debug({ until: new Date(notBefore).toISOString() }, 'retry not due yet: partition paused');
      return { kind: 'paused', until: notBefore };
    }
    try {
      return await next(incoming);
    } catch (err) {
      if (err instanceof ConsumerStoppingError) throw err;
      const plan = planFailure(decoded.attempt, err, options.policy, now());
      if (plan.kind === 'dead-letter') throw err;
      await handToRetryTopic(options.publisher, options.topic, incoming.message, plan, err);
      const { level, fields } = failureLogFields(err);
      incoming.log[level]({ ...fields, nextAttempt: plan.attempt, notBefore: new Date(plan.notBefore).toISOString() }, 'handler failed; will retry');
      return { kind: 'retry-scheduled', attempt: plan.attempt, notBefore: plan.notBefore };
    }
  };
}

/** Produces a copy of `message` to a retry topic for attempt `plan.attempt`, not before `plan.notBefore`. */
export async function handToRetryTopic(
  publisher: Pick<KafkaPublisher, 'sendRaw'>,
  topic: string,
  message: KafkaMessage,
  plan: { attempt: number; notBefore: number },
  err: unknown,
): Promise<void> {
  await publisher.sendRaw(topic, {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      ...originHeaders(message),
      [HEADERS.attempt]: String(plan.attempt),
      [HEADERS.notBefore]: String(plan.notBefore),
      [HEADERS.error]: (err instanceof Error ? err.message : String(err)).slice(0, 2000),
    },
  });
}
