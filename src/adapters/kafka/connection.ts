import type { Kafka } from 'kafkajs';
import type { Logger } from '../../observability/logger.js';
import { createKafka } from './client.js';

/**
 * A configured Kafka cluster, as the rest of the service holds it: opaque outside this folder,
 * so kafkajs stays behind the adapters (admin, publisher, subscribers take it).
 */
export class KafkaConnection {
  readonly #client: Kafka;
  readonly brokers: readonly string[];

  private constructor(client: Kafka, brokers: readonly string[]) {
    this.#client = client;
    this.brokers = brokers;
  }

  /** Connects nothing yet: each admin, producer or consumer made from it connects itself. */
  static create(options: { brokers: string[]; clientId: string; logger: Logger }): KafkaConnection {
    return new KafkaConnection(createKafka(options), [...options.brokers]);
  }

  /** The kafkajs client, for the adapters in src/adapters/kafka/ only. */
  static client(connection: KafkaConnection): Kafka {
    return connection.#client;
  }
}
