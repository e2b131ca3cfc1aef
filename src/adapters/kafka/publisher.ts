import { Partitioners, type Message, type Producer } from 'kafkajs';
import { unavailable } from '../../domain/errors.js';
import type { BatchPublisher, EventPublisher, OutgoingMessage, TopicName } from '../../domain/events.js';
import { KafkaConnection } from './connection.js';
import { groupCommit } from './group-commit.js';
import type { OutgoingRecord } from './message.js';
import type { TopicNaming } from './topics.js';

export interface KafkaPublisher extends EventPublisher, BatchPublisher {
  /** Produces to a physical topic name with acks=all; rejects if the broker did not acknowledge. */
  sendRaw(topic: string, message: OutgoingRecord): Promise<void>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Idempotent producer with acks=all: a send resolves only once every in-sync replica has the
 * message, and broker-side dedup makes the client's own retries safe. Sends are group-committed
 * (see groupCommit): concurrent sends share produce requests.
 */
export function createKafkaPublisher(connection: KafkaConnection, naming: TopicNaming): KafkaPublisher {
  const producer: Producer = KafkaConnection.client(connection).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const send = groupCommit<Message>((topicMessages) => producer.sendBatch({ acks: -1, topicMessages }).then(() => undefined));
  return {
    async sendRaw(topic, message) {
      await send(topic, { key: message.key, value: message.value, headers: { ...message.headers }, ...(message.timestamp ? { timestamp: message.timestamp } : {}) });
    },
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async publish(topic: TopicName, key: string, event: { type: string; id: string; producedAt: number }): Promise<void> {
      try {
        await send(naming.topic(topic), record(key, event));
      } catch (err) {
        // The client must learn that nothing happened, so it can retry; the cause is logged by the formatter.
        throw unavailable('the event log is unavailable right now; nothing was saved, try again', err);
      }
    },
    async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
      try {
        await send.all(messages.map((m) => ({ topic: naming.topic(m.topic), message: record(m.key, m.event) })));
      } catch (err) {
        throw unavailable('the event log is unavailable right now; try again', err);
      }
    },
  };
}

function record(key: string, event: { type: string; id: string; producedAt: number }): Message {
  return { key, value: JSON.stringify(event), headers: { 'event-type': event.type, 'event-id': event.id }, timestamp: String(event.producedAt) };
}
