import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { unavailable } from '../../domain/errors.js';
import type { EventPublisher, TopicName } from '../../domain/ports.js';
import type { TopicNaming } from './topics.js';

/** A message copied as it is (value bytes, key, headers), e.g. to a retry or dead-letter topic. */
export interface RawOutgoing {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface KafkaPublisher extends EventPublisher {
  /** Produces to a physical topic name with acks=all; rejects if the broker did not acknowledge. */
  sendRaw(topic: string, message: RawOutgoing): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Idempotent producer with acks=all: a send resolves only once every in-sync replica has the
 * message, and broker-side dedup makes the client's own retries safe.
 */
export function createKafkaPublisher(kafka: Kafka, naming: TopicNaming): KafkaPublisher {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const send = groupCommit(producer);
  return {
    async sendRaw(topic, message) {
      await send(topic, { key: message.key, value: message.value, headers: message.headers });
    },
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async publish(topic: TopicName, key: string, event: { type: string; id: string; producedAt: number }): Promise<void> {
      try {
        await send(naming.topic(topic), {
          key,
          value: JSON.stringify(event),
          headers: { 'event-type': event.type, 'event-id': event.id },
          timestamp: String(event.producedAt),
        });
      } catch (err) {
        // The client must learn that nothing happened, so it can retry; the cause is logged by the formatter.
        throw unavailable('the event log is unavailable right now; nothing was saved, try again', err);
      }
    },
  };
}

interface Queued {
  topic: string;
  message: Message;
  resolve(): void;
  reject(err: unknown): void;
}

/** Messages one produce request carries at most; the rest wait for the next. */
const MAX_BATCH = 1_000;

/**
 * Group commit. The idempotent producer has one request in flight at a time, so one awaited send
 * per message caps a process at one message per broker round trip (profiled: postTweet under load
 * waited in this queue, bench/results/hot-path/). Here a message sent while nothing is in flight
 * goes at once, alone; messages arriving meanwhile go together in the next request. Each caller's
 * promise settles with its own request: resolved once the broker acknowledged (acks=all), rejected
 * with the request's error. Order is arrival order, so per-key order is kept.
 */
function groupCommit(producer: Producer): (topic: string, message: Message) => Promise<void> {
  const queue: Queued[] = [];
  let sending = false;
  const drain = async () => {
    sending = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      const byTopic = new Map<string, Message[]>();
      for (const q of batch) {
        const messages = byTopic.get(q.topic);
        if (messages) messages.push(q.message);
        else byTopic.set(q.topic, [q.message]);
      }
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        for (const q of batch) q.resolve();
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    sending = false;
  };
  return (topic, message) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ topic, message, resolve, reject });
      if (!sending) void drain();
    });
}
