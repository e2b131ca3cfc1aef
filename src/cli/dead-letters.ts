import { randomUUID } from 'node:crypto';
import type { KafkaConnection } from '../adapters/kafka/connection.js';
import { drainSubscriber } from '../adapters/kafka/drain-subscriber.js';
import type { KafkaMessage } from '../adapters/kafka/message.js';
import type { KafkaPublisher } from '../adapters/kafka/publisher.js';
import type { GroupBinding, TopicNaming } from '../adapters/kafka/topics.js';
import { HEADERS } from '../consumers/failure-policy.js';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  attempt: string;
  error: string;
  failedAt: string;
  origin: string;
  value: string;
}

/** Reads the dead-letter topic through the drain subscriber and resolves once it reached the end. */
async function drain(connection: KafkaConnection, topic: string, group: string, commit: boolean, onMessage: (m: KafkaMessage) => Promise<void>): Promise<void> {
  const subscription = await drainSubscriber(connection, { topic, group, commit }).subscribe((message) => onMessage(message));
  await subscription.done;
}

/** Every message in the group's dead-letter topic, oldest first. Reads only; commits nothing. */
export async function listDeadLetters(connection: KafkaConnection, naming: TopicNaming, binding: GroupBinding): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  const probeGroup = `${naming.group(binding.group)}.dlq-list.${randomUUID()}`;
  await drain(connection, naming.deadLetterTopic(binding.topic, binding.group), probeGroup, false, async (m) => {
    letters.push({
      partition: m.partition,
      offset: m.offset,
      key: m.key,
      attempt: m.headers[HEADERS.attempt] ?? '',
      error: m.headers[HEADERS.error] ?? '',
      failedAt: m.headers[HEADERS.failedAt] ?? '',
      origin: `${m.headers[HEADERS.originalTopic] ?? '?'}/${m.headers[HEADERS.originalPartition] ?? '?'}@${m.headers[HEADERS.originalOffset] ?? '?'}`,
      value: m.value?.toString('utf8').slice(0, 200) ?? '',
    });
  });
  return letters;
}

/**
 * Sends every dead letter not yet re-driven back to the group's retry topic with a fresh attempt
 * count, so the group tries it again (and dead-letters it again if it still fails). Progress is the
 * committed offset of `<group>.dlq-redrive`, so running it twice re-drives nothing twice.
 */
export async function redriveDeadLetters(connection: KafkaConnection, naming: TopicNaming, publisher: KafkaPublisher, binding: GroupBinding): Promise<number> {
  let count = 0;
  const retryTopic = naming.retryTopic(binding.topic, binding.group);
  await drain(connection, naming.deadLetterTopic(binding.topic, binding.group), `${naming.group(binding.group)}.dlq-redrive`, true, async (m) => {
    const { [HEADERS.error]: _error, [HEADERS.failedAt]: _failedAt, ...headers } = m.headers;
    await publisher.sendRaw(retryTopic, { key: m.key, value: m.value, headers: { ...headers, [HEADERS.attempt]: '1', [HEADERS.notBefore]: '0' } });
    count++;
  });
  return count;
}
