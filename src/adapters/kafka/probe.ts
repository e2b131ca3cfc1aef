import { Kafka, logLevel } from 'kafkajs';

/**
 * One quick, silent attempt to describe the cluster at `brokers` (for waiting until a broker we
 * started answers): no retries, short timeouts, nothing logged. Rejects with the client's error.
 */
export async function describeClusterOnce(brokers: readonly string[]): Promise<{ clusterId: string; brokers: number }> {
  const kafka = new Kafka({
    clientId: 'local-kafka-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
