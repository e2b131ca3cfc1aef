import type { Kafka } from 'kafkajs';
import { subscribe, type RawMessage, type Subscription } from '../adapters/kafka/subscriber.js';
import type { TopicNaming } from '../adapters/kafka/topics.js';
import type { EventPublisher } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import type { ConsumerDefinition, HandlerContext } from './definition.js';
import { compose, logProcessed, produceOutgoing, retryInPlace, type Middleware } from './middleware.js';

export type DecodeResult<E> = { ok: true; event: E } | { ok: false; reason: string };

/** JSON-parses and schema-checks a message value. Never throws. */
export function decodeMessage<E>(definition: ConsumerDefinition<E>, value: Buffer | null): DecodeResult<E> {
  if (value === null) return { ok: false, reason: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const parsed = definition.schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, event: parsed.data };
}

export interface RunningConsumer {
  group: string;
  stop(): Promise<void>;
}

/**
 * Runs one consumer group: decode → middleware → handler, for every message in partition order.
 * A message that fails decoding is logged with its coordinates and skipped (the consumer keeps
 * going); a handler failure is retried in place by middleware.
 */
export async function runConsumer<E>(
  definition: ConsumerDefinition<E>,
  deps: { kafka: Kafka; naming: TopicNaming; publisher: EventPublisher; logger: Logger; middleware?: Middleware[] },
): Promise<RunningConsumer> {
  let stopping = false;
  const groupId = deps.naming.group(definition.group);
  const log = deps.logger.child({ group: groupId });
  const middleware = deps.middleware ?? [
    logProcessed,
    retryInPlace({ initialDelayMs: 100, maxDelayMs: 10_000, isStopping: () => stopping }),
    produceOutgoing(deps.publisher),
  ];
  const handle = compose(middleware)(definition.handle);

  const onMessage = async (message: RawMessage, controls: { heartbeat(): Promise<void> }) => {
    const coordinates = { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key };
    const decoded = decodeMessage(definition, message.value);
    if (!decoded.ok) {
      log.error({ ...coordinates, reason: decoded.reason }, 'skipping message that failed validation');
      return;
    }
    const eventId = (decoded.event as { id?: unknown }).id;
    const ctx: HandlerContext = { log: log.child({ ...coordinates, eventId }), heartbeat: controls.heartbeat };
    await handle(decoded.event, ctx);
  };

  const subscription: Subscription = await subscribe(
    deps.kafka,
    { group: groupId, topic: deps.naming.topic(definition.topic) },
    onMessage,
  );
  log.info({ topic: deps.naming.topic(definition.topic) }, 'consumer started');
  return {
    group: definition.group,
    async stop() {
      stopping = true;
      await subscription.stop();
      log.info('consumer stopped');
    },
  };
}
