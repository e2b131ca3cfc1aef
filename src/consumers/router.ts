import type { Subscriber, SubscriptionState } from '../adapters/kafka/subscriber.js';
import type { Logger } from '../observability/logger.js';
import type { ConsumerDefinition, HandlerContext } from './definition.js';
import { compose, ConsumerStoppingError, eventOf, type Incoming, type Middleware, type Step } from './middleware/types.js';

export interface RunningConsumer {
  group: string;
  /** `running` once the group has its partitions; `crashed` or `stopped` make the process unready. */
  state(): SubscriptionState;
  failure(): Error | undefined;
  /** Settles when the subscription ended: a bounded one delivered everything, or it stopped or crashed. */
  done: Promise<void>;
  /** Stops taking messages, lets the one in hand finish (or leaves it uncommitted), commits, leaves. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The handler at the centre of the middleware: the decoded event in, the messages to produce out.
 * Its log lines carry topic, partition, offset, key, event id and attempt.
 */
export function handlerStep<E>(definition: ConsumerDefinition<E>): Step {
  return async (incoming) => {
    const event = eventOf(incoming) as E & { id?: unknown };
    const attempt = incoming.decoded?.attempt ?? 1;
    const ctx: HandlerContext = { log: incoming.log.child({ eventId: event.id, attempt }), heartbeat: incoming.controls.heartbeat };
    return { kind: 'handled', outgoing: (await definition.handle(event, ctx)) ?? [] };
  };
}

/**
 * The router (Watermill's): feeds every message `subscriber` delivers through `middleware` around
 * the definition's handler. What the outcome is — handled, retried, dead-lettered, paused — is
 * the middleware's business; the router only binds each message's log line to its coordinates
 * and leaves a message uncommitted when the consumer stops in the middle of it. An error that
 * escapes the middleware (the dead-letter topic itself unreachable) is the subscriber's to treat
 * as fatal, so nothing is ever skipped silently.
 */
export async function runConsumer<E>(
  definition: ConsumerDefinition<E>,
  subscriber: Subscriber,
  middleware: readonly Middleware[],
  logger: Logger,
): Promise<RunningConsumer> {
  let stopping = false;
  const log = logger.child({ group: definition.group });
  const pipeline = compose(middleware)(handlerStep(definition));
  const subscription = await subscriber.subscribe(async (message, controls) => {
    const incoming: Incoming = {
      message,
      group: definition.group,
      log: log.child({ topic: message.topic, partition: message.partition, offset: message.offset, key: message.key }),
      controls,
      isStopping: () => stopping,
      failures: 0,
    };
    try {
      await pipeline(incoming);
    } catch (err) {
      if (!(err instanceof ConsumerStoppingError)) throw err;
      controls.release();
    }
  });
  log.info({ topic: definition.topic }, 'consumer started');
  return {
    group: definition.group,
    state: () => subscription.state(),
    failure: () => subscription.failure(),
    done: subscription.done,
    async stop() {
      stopping = true;
      await subscription.stop();
      log.info('consumer stopped');
    },
  };
}
