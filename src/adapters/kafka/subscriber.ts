import type { Consumer, Kafka } from 'kafkajs';

/** What the consumer runner sees of a Kafka message: no kafkajs types leak past this file. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Broker/producer timestamp, ms. */
  timestamp: number;
  headers: Record<string, string>;
}

export interface DeliveryControls {
  /** Tells the group coordinator this member is alive; call during long work. */
  heartbeat(): Promise<void>;
}

export interface Subscription {
  /** Stops fetching, waits for the message in hand, commits offsets and leaves the group. */
  stop(): Promise<void>;
}

/**
 * Joins `group` on `topics` and calls `onMessage` for each message in partition order. The offset
 * of a message is committed only after `onMessage` resolves, so a crash redelivers it (at-least-once).
 * A new group starts from the earliest offset: nothing posted before a consumer first ran is skipped.
 */
export async function subscribe(
  kafka: Kafka,
  options: {
    group: string;
    topics: readonly string[];
    onJoin?: () => void;
    /** Partitions handled at once by this member; order within a partition is kept regardless. */
    partitionsAtOnce?: number;
  },
  onMessage: (message: RawMessage, controls: DeliveryControls) => Promise<void>,
): Promise<Subscription> {
  const consumer: Consumer = kafka.consumer({
    groupId: options.group,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
    // The broker answers a fetch as soon as data arrives; this only bounds how long an idle
    // fetch blocks a graceful stop.
    maxWaitTimeInMs: 1_000,
  });
  await consumer.connect();
  consumer.on(consumer.events.GROUP_JOIN, () => options.onJoin?.());
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 1_000,
    partitionsConsumedConcurrently: options.partitionsAtOnce ?? 1,
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      await onMessage(
        {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          timestamp: Number(message.timestamp),
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]),
          ),
        },
        { heartbeat },
      );
    },
  });
  return { stop: () => consumer.disconnect() };
}
