import type { IHeaders, KafkaMessage as KafkaJsMessage } from 'kafkajs';

/**
 * A Kafka message as the service sees it, whichever subscriber read it: no kafkajs type leaves
 * this folder. Values stay bytes until a consumer decodes them against its schema.
 */
export interface KafkaMessage {
  /** Physical topic name (namespace applied). */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Broker/producer timestamp, ms. */
  timestamp: number;
  headers: Readonly<Record<string, string>>;
}

/** A message to produce as it is (e.g. a copy to a retry or dead-letter topic). */
export interface OutgoingRecord {
  key: string | null;
  value: Buffer | string | null;
  headers: Readonly<Record<string, string>>;
  /** Producer timestamp, ms as a string; the broker's time when absent. */
  timestamp?: string;
}

/**
 * The one decoding of Kafka headers: UTF-8 strings. A header sent several times keeps its last
 * value (later writers override, as when a retry adds its attempt); a header without a value is
 * left out. Headers are client input: consumers validate what they read from them.
 */
export function readHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value === undefined || value === null) continue;
    out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}

/** Our message from what kafkajs delivered. */
export function fromKafkaJs(topic: string, partition: number, message: KafkaJsMessage): KafkaMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    timestamp: Number(message.timestamp),
    headers: readHeaders(message.headers),
  };
}
