import { Kafka, logLevel } from 'kafkajs';

/**
 * A plain kafkajs client of the test's broker: the tests act through it as any other client of
 * the cluster could (producing garbage, reading a topic), never through the service's adapters.
 */
export function externalKafka(brokers: readonly string[]): Kafka {
  return new Kafka({ clientId: 'test-external', brokers: [...brokers], logLevel: logLevel.NOTHING });
}

/** Produces `messages` to a physical topic as they are, headers included. */
export async function produceRaw(
  brokers: readonly string[],
  topic: string,
  messages: { key: string | null; value: string | null; headers?: Record<string, string> }[],
): Promise<void> {
  const producer = externalKafka(brokers).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}
