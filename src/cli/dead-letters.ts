import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
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

type Raw = { partition: number; offset: string; key: string | null; value: Buffer | null; headers: Record<string, string> };

/**
 * Reads a topic from `fromGroup`'s committed position (or the beginning, for a throwaway group)
 * up to its end as it was when called, then stops. Used by `dlq list` and `dlq redrive`.
 */
async function drain(kafka: Kafka, topic: string, groupId: string, onMessage: (m: Raw) => Promise<void>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  const pending = new Set(
    [...ends].filter(([partition, high]) => {
      const at = committed[0]?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return high > 0n && BigInt(at === '-1' ? '0' : at) < high;
    }).map(([p]) => p),
  );
  if (pending.size === 0) return;

  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          if (!pending.has(partition)) return;
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          await onMessage({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers });
          if (BigInt(message.offset) + 1n >= ends.get(partition)!) {
            pending.delete(partition);
            if (pending.size === 0) resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}

/** Every message in the group's dead-letter topic, oldest first. Reads only; commits nothing that matters. */
export async function listDeadLetters(kafka: Kafka, naming: TopicNaming, binding: GroupBinding): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  const probeGroup = `${naming.group(binding.group)}.dlq-list.${randomUUID()}`;
  await drain(kafka, naming.deadLetterTopic(binding.topic, binding.group), probeGroup, async (m) => {
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
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([probeGroup]).catch(() => undefined);
  await admin.disconnect();
  return letters;
}

/**
 * Sends every dead letter not yet re-driven back to the group's retry topic with a fresh attempt
 * count, so the group tries it again (and dead-letters it again if it still fails). Progress is the
 * committed offset of `<group>.dlq-redrive`, so running it twice re-drives nothing twice.
 */
export async function redriveDeadLetters(kafka: Kafka, naming: TopicNaming, publisher: KafkaPublisher, binding: GroupBinding): Promise<number> {
  let count = 0;
  const retryTopic = naming.retryTopic(binding.topic, binding.group);
  await drain(kafka, naming.deadLetterTopic(binding.topic, binding.group), `${naming.group(binding.group)}.dlq-redrive`, async (m) => {
    const { [HEADERS.error]: _error, [HEADERS.failedAt]: _failedAt, ...headers } = m.headers;
    await publisher.sendRaw(retryTopic, { key: m.key, value: m.value, headers: { ...headers, [HEADERS.attempt]: '1', [HEADERS.notBefore]: '0' } });
    count++;
  });
  return count;
}
