import type { DeliveryControls } from '../../adapters/kafka/subscriber.js';
import type { KafkaMessage, OutgoingRecord } from '../../adapters/kafka/message.js';
import type { KafkaPublisher } from '../../adapters/kafka/publisher.js';
import type { OutgoingMessage } from '../../domain/events.js';
import { createLogger } from '../../observability/logger.js';
import type { Decoded, Incoming } from './types.js';

/** Builders for the middleware unit tests: a message in hand, its controls, and a publisher that records. */

export function kafkaMessage(overrides: Partial<KafkaMessage> = {}): KafkaMessage {
  return { topic: 'ns.tweets', partition: 2, offset: '41', key: 'k', value: Buffer.from('{}'), timestamp: 1_000_000, headers: {}, ...overrides };
}

export function incoming(overrides: { message?: Partial<KafkaMessage>; decoded?: Decoded; stopping?: () => boolean } = {}) {
  const controls = { paused: [] as number[], released: 0, heartbeats: 0, canPause: true };
  const deliveryControls: DeliveryControls = {
    canPause: true,
    heartbeat: async () => void controls.heartbeats++,
    pauseUntil: (at) => void controls.paused.push(at),
    release: () => void controls.released++,
  };
  const value: Incoming = {
    message: kafkaMessage(overrides.message),
    group: 'g',
    decoded: overrides.decoded,
    log: createLogger({ level: 'silent' }),
    controls: deliveryControls,
    isStopping: overrides.stopping ?? (() => false),
    failures: 0,
  };
  return { value, controls };
}

export function recordingPublisher() {
  const raw: { topic: string; record: OutgoingRecord }[] = [];
  const published: OutgoingMessage[] = [];
  /** How many messages each publishAll call carried. */
  const batches: number[] = [];
  const publisher: KafkaPublisher = {
    async sendRaw(topic, record) {
      raw.push({ topic, record });
    },
    async publish(topic, key, event) {
      published.push({ topic, key, event } as OutgoingMessage);
    },
    async publishAll(messages) {
      batches.push(messages.length);
      published.push(...messages);
    },
    connect: async () => undefined,
    disconnect: async () => undefined,
  };
  return { publisher, raw, published, batches };
}

export const ok = (event: unknown = { id: 'e1', producedAt: 1 }, attempt = 1, notBefore: number | null = null): Decoded => ({ ok: true, event, attempt, notBefore });
