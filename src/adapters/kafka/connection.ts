import type { Kafka } from 'kafkajs';
import type { Logger } from '../../observability/logger.js';
import { createKafka, type KafkaTarget } from './client.js';

/**
 * A configured Kafka cluster, as the rest of the service holds it: opaque outside this folder,
 * so kafkajs stays behind the adapters (admin, publisher, subscribers take it). Every client made
 * from it has the target's TLS and SASL.
 */
export class KafkaConnection {
  readonly #client: Kafka;
  readonly #target: KafkaTarget;
  readonly #logger: Logger;

  private constructor(client: Kafka, target: KafkaTarget, logger: Logger) {
    this.#client = client;
    this.#target = target;
    this.#logger = logger;
  }

  /** Connects nothing yet: each admin, producer or consumer made from it connects itself. */
  static create(options: KafkaTarget & { logger: Logger }): KafkaConnection {
    const { logger, ...target } = options;
    return new KafkaConnection(createKafka(options), { ...target, brokers: [...target.brokers] }, logger);
  }

  get brokers(): readonly string[] {
    return this.#target.brokers;
  }

  /** The kafkajs client, for the adapters in src/adapters/kafka/ only. */
  static client(connection: KafkaConnection): Kafka {
    return connection.#client;
  }

  /** Where and how it connects (for clear connection errors), for the adapters in this folder only. */
  static target(connection: KafkaConnection): { target: KafkaTarget; logger: Logger } {
    return { target: connection.#target, logger: connection.#logger };
  }
}
