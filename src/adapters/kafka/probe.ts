import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

/** How a probe reaches a broker that is not plaintext (the local SASL_SSL listener). */
export interface ProbeSecurity {
  ssl?: ConnectionOptions;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/**
 * One quick, silent attempt to describe the cluster at `brokers` (for waiting until a broker we
 * started answers): no retries, short timeouts, nothing logged. Rejects with the client's error.
 */
export async function describeClusterOnce(brokers: readonly string[], security: ProbeSecurity = {}): Promise<{ clusterId: string; brokers: number }> {
  const kafka = new Kafka({
    ...(security.ssl ? { ssl: security.ssl } : {}),
    ...(security.sasl ? { sasl: security.sasl as SASLOptions } : {}),
    clientId: 'local-kafka-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: security.ssl ? 5_000 : 1_000,
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
