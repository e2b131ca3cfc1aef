import type { Kafka } from 'kafkajs';
import type { KafkaPublisher } from '../adapters/kafka/publisher.js';
import { subscribe, type RawMessage, type Subscription } from '../adapters/kafka/subscriber.js';
import type { TopicNaming } from '../adapters/kafka/topics.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ConsumerDefinition, HandlerContext } from './definition.js';
import { DEFAULT_RETRY_POLICY, failureLogFields, HEADERS, planFailure, type RetryPolicy } from './failure-policy.js';
import { compose, logProcessed, produceOutgoing, retryInPlace, type Middleware } from './middleware.js';

export type DecodeResult<E> = { ok: true; event: E } | { ok: false; reason: string };

/** JSON-parses and schema-checks a message value. Never throws. */
export function decodeMessage<E>(definition: Pick<ConsumerDefinition<E>, 'schema'>, value: Buffer | null): DecodeResult<E> {
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
  /** True once the group coordinator has given this member its partitions. */
  joined(): boolean;
  stop(): Promise<void>;
}

export interface RunnerDeps {
  kafka: Kafka;
  naming: TopicNaming;
  publisher: KafkaPublisher;
  logger: Logger;
  metrics: Metrics['consumers'];
  retry?: RetryPolicy;
  /** Quick attempts in place before a failure goes to the retry topic (rides out blips). */
  inPlaceAttempts?: number;
}

/**
 * Runs one consumer group on its topic and its own retry topic. For every message: wait for its
 * not-before time (retries) → decode → middleware → handler. A message that cannot be decoded goes
 * straight to the group's dead-letter topic; a handler that still fails after quick in-place
 * attempts sends the message to `<topic>.<group>.retry` with its attempt count and a not-before
 * time, and after the last attempt to `<topic>.<group>.dlq` with the error. Other groups never
 * see a retry. Offsets are committed only after the message is handled or handed on, so a crash
 * loses nothing.
 */
export async function runConsumer<E>(definition: ConsumerDefinition<E>, deps: RunnerDeps): Promise<RunningConsumer> {
  let stopping = false;
  let joined = false;
  const { naming, publisher, metrics } = deps;
  const groupId = naming.group(definition.group);
  const labels = { group: definition.group };
  const mainTopic = naming.topic(definition.topic);
  const retryTopic = naming.retryTopic(definition.topic, definition.group);
  const deadLetterTopic = naming.deadLetterTopic(definition.topic, definition.group);
  const policy = deps.retry ?? DEFAULT_RETRY_POLICY;
  const log = deps.logger.child({ group: groupId });
  const middleware: Middleware[] = [
    logProcessed,
    retryInPlace({ initialDelayMs: 50, maxDelayMs: 500, maxAttempts: deps.inPlaceAttempts ?? 3, isStopping: () => stopping }),
    produceOutgoing(publisher),
  ];
  const handle = compose(middleware)(definition.handle);

  const handOn = async (message: RawMessage, target: string, headers: Record<string, string>) => {
    await publisher.sendRaw(target, {
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        [HEADERS.originalTopic]: message.headers[HEADERS.originalTopic] ?? message.topic,
        [HEADERS.originalPartition]: message.headers[HEADERS.originalPartition] ?? String(message.partition),
        [HEADERS.originalOffset]: message.headers[HEADERS.originalOffset] ?? message.offset,
        ...headers,
      },
    });
  };

  const deadLetter = async (message: RawMessage, attempt: number, reason: string, coordinates: object) => {
    await handOn(message, deadLetterTopic, {
      [HEADERS.attempt]: String(attempt),
      [HEADERS.error]: reason.slice(0, 2000),
      [HEADERS.failedAt]: new Date().toISOString(),
    });
    metrics.deadLettered.inc(labels);
    log.error({ ...coordinates, attempt, reason }, 'message dead-lettered');
  };

  const onMessage = async (message: RawMessage, controls: { heartbeat(): Promise<void> }) => {
    const coordinates = { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key };
    const attempt = message.topic === retryTopic ? Number(message.headers[HEADERS.attempt] ?? 1) : 1;
    if (message.topic === retryTopic) await waitUntil(Number(message.headers[HEADERS.notBefore] ?? 0), controls.heartbeat, () => stopping);

    const decoded = decodeMessage(definition, message.value);
    if (!decoded.ok) return deadLetter(message, attempt, `undecodable: ${decoded.reason}`, coordinates);

    const event = decoded.event as E & { id?: unknown; producedAt?: unknown };
    const ctx: HandlerContext = { log: log.child({ ...coordinates, eventId: event.id, attempt }), heartbeat: controls.heartbeat };
    try {
      await handle(decoded.event, ctx);
      metrics.processed.inc(labels);
      if (typeof event.producedAt === 'number') metrics.latencySeconds.observe(labels, Math.max(0, Date.now() - event.producedAt) / 1000);
    } catch (err) {
      metrics.failed.inc(labels);
      // Shutting down: leave the offset uncommitted; the next member takes the message from here.
      if (stopping) throw err;
      const plan = planFailure(attempt, err, policy, Date.now());
      if (plan.kind === 'dead-letter') return deadLetter(message, attempt, plan.reason, coordinates);
      await handOn(message, retryTopic, {
        [HEADERS.attempt]: String(plan.attempt),
        [HEADERS.notBefore]: String(plan.notBefore),
        [HEADERS.error]: (err instanceof Error ? err.message : String(err)).slice(0, 2000),
      });
      metrics.retried.inc(labels);
      const { level, fields } = failureLogFields(err);
      ctx.log[level]({ ...fields, nextAttempt: plan.attempt, notBefore: new Date(plan.notBefore).toISOString() }, 'handler failed; will retry');
    }
  };

  const subscription: Subscription = await subscribe(
    deps.kafka,
    { group: groupId, topics: [mainTopic, retryTopic], onJoin: () => (joined = true), partitionsAtOnce: definition.partitionsAtOnce },
    onMessage,
  );
  log.info({ topic: mainTopic, retryTopic, deadLetterTopic }, 'consumer started');
  return {
    group: definition.group,
    joined: () => joined,
    async stop() {
      stopping = true;
      await subscription.stop();
      log.info('consumer stopped');
    },
  };
}

/** Sleeps until `at` (unix ms) in short steps, heartbeating so the group keeps this member. */
async function waitUntil(at: number, heartbeat: () => Promise<void>, stopping: () => boolean): Promise<void> {
  while (Date.now() < at) {
    if (stopping()) throw new Error('consumer stopping before a retry was due');
    await new Promise((r) => setTimeout(r, Math.min(1_000, at - Date.now())));
    await heartbeat();
  }
}
